package io.github.dl4jserving.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/** Opens and closes each inference request's {@link RequestStages} event, outside every other filter. */
@Component
@Order(FilterOrder.REQUEST_STAGES)
class RequestStagesFilter extends OncePerRequestFilter {
    private final RoutePolicy routes;

    RequestStagesFilter(RoutePolicy routes) {
        this.routes = routes;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !routes.isInference(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        RequestStages stages = RequestStages.start(request.getRequestURI());
        if (stages == null) {
            chain.doFilter(request, response);
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            stages.finish(response.getStatus());
        }
    }
}

package io.github.dl4jserving.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Access control. Requests that change state (starting and cancelling jobs, uploading data sets and
 * models, setting defaults, deleting) need the configured API key; inference and reads are open
 * unless {@code protect-reads} is set. Without a configured key, state-changing requests are
 * accepted from the loopback address only, and a warning says so at start-up. The key itself is
 * checked by {@link ApiKeys}, as for gRPC.
 */
@Component
@Order(FilterOrder.API_KEY)
class ApiKeyFilter extends OncePerRequestFilter {
    private static final Logger log = LoggerFactory.getLogger(ApiKeyFilter.class);
    private final ApiKeys keys;
    private final boolean protectReads;
    private final RoutePolicy routes;

    ApiKeyFilter(SecuritySettings settings, RoutePolicy routes) {
        this.routes = routes;
        this.keys = new ApiKeys(settings);
        this.protectReads = settings.protectReads();
        if (!keys.configured()) {
            log.warn("No API key is configured (dl4j-serving.security.api-key, DL4J_SERVING_SECURITY_API_KEY): "
                    + "training, uploads, default changes and deletions are accepted from localhost only.");
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String credentialProblem = credentialProblem(request);
        if (credentialProblem != null) {
            FilterProblems.write(request, response, HttpStatus.BAD_REQUEST, credentialProblem);
            return;
        }
        boolean changesState = routes.changesState(request);
        if (!changesState && (!protectReads || routes.openUnderProtectReads(request))) {
            chain.doFilter(request, response);
            return;
        }
        if (!keys.configured()) {
            if (!changesState || (loopback(request.getRemoteAddr()) && fromThisMachine(request))) {
                chain.doFilter(request, response);
                return;
            }
            refuse(
                    request,
                    response,
                    HttpStatus.FORBIDDEN,
                    "Changing models, data sets or jobs is allowed from localhost only "
                            + "(and not from a web page of another site) while no API key is configured. Set "
                            + "dl4j-serving.security.api-key on the server.");
            return;
        }
        String presented =
                ApiKeys.presented(request.getHeader(HttpHeaders.AUTHORIZATION), request.getHeader("X-API-Key"));
        if (presented == null) {
            refuse(request, response, HttpStatus.UNAUTHORIZED, ApiKeys.MISSING);
            return;
        }
        if (!keys.valid(presented)) {
            refuse(request, response, HttpStatus.UNAUTHORIZED, ApiKeys.INVALID);
            return;
        }
        chain.doFilter(request, response);
    }

    /** Why the credentials sent cannot be taken, or null ({@link ApiKeys#credentialProblem}). */
    static String credentialProblem(HttpServletRequest request) {
        return ApiKeys.credentialProblem(request.getHeader(HttpHeaders.AUTHORIZATION), request.getHeader("X-API-Key"));
    }

    /**
     * A loopback connection alone does not prove a local client: a browser on this machine sends one
     * for any web page that posts a form here (a multipart POST needs no CORS preflight), and for a
     * page whose domain was rebound to 127.0.0.1. So the Host must name this machine, and a browser's
     * Origin or Sec-Fetch-Site must not point at another site. curl and scripts send neither. A
     * request that came through a proxy (X-Forwarded-For, Forwarded) is not local either, whoever
     * connected last.
     */
    static boolean fromThisMachine(HttpServletRequest request) {
        if (!localName(request.getServerName())
                || request.getHeader("X-Forwarded-For") != null
                || request.getHeader("Forwarded") != null) {
            return false;
        }
        if ("cross-site".equalsIgnoreCase(request.getHeader("Sec-Fetch-Site"))) {
            return false;
        }
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin == null) {
            return true;
        }
        try {
            String host = URI.create(origin.trim()).getHost();
            return host != null && localName(host);
        } catch (IllegalArgumentException e) {
            return false; // "null" (sandboxed pages, file: URLs) and anything unparseable
        }
    }

    /** "localhost" or a loopback IP literal; never resolved through DNS. */
    private static boolean localName(String host) {
        if (host == null) {
            return false;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        boolean literal = h.matches("[0-9.]+") || h.matches("[0-9a-fA-F:]+:[0-9a-fA-F:.]*");
        return literal && loopback(h);
    }

    private static boolean loopback(String address) {
        try {
            return address != null && InetAddress.getByName(address).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    private static void refuse(
            HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail)
            throws IOException {
        if (status == HttpStatus.UNAUTHORIZED) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        FilterProblems.write(request, response, status, detail);
    }
}

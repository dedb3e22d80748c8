package io.github.dl4jserving.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Enforces {@code dl4j-serving.max-body-size} on every request: a declared length over the limit
 * is refused before anything is read, and a chunked body is cut off as soon as it passes the limit.
 * Multipart uploads are limited by the same value through Spring's multipart settings.
 */
@Component
@Order(FilterOrder.BODY_SIZE)
class BodySizeLimitFilter extends OncePerRequestFilter {
    private final long bodyLimit;
    private final long datasetLimit;
    private final Rejections rejections;
    private final RoutePolicy routes;

    BodySizeLimitFilter(
            PlatformSettings properties,
            Rejections rejections,
            RoutePolicy routes,
            ObjectProvider<LargeBodyLimit> largeBodies) {
        this.bodyLimit = properties.maxBodySize().toBytes();
        LargeBodyLimit large = largeBodies.getIfAvailable();
        this.datasetLimit = large == null
                ? bodyLimit
                : Math.max(bodyLimit, large.largeBodyLimit().toBytes());
        this.rejections = rejections;
        this.routes = routes;
    }

    /**
     * Raw data set uploads may be larger; multipart ones may not, since Tomcat reads multipart
     * bodies past this filter and only Spring's multipart limit (max-body-size) applies to them.
     */
    private long limitFor(HttpServletRequest request) {
        String type = request.getContentType();
        boolean rawDatasetUpload = type != null
                && routes.largeBody(request)
                && !type.toLowerCase(Locale.ROOT).startsWith("multipart/");
        return rawDatasetUpload ? datasetLimit : bodyLimit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long limit = limitFor(request);
        if (request.getContentLengthLong() > limit) {
            rejections.count(Rejection.TOO_LARGE);
            FilterProblems.write(
                    request, response, HttpStatus.CONTENT_TOO_LARGE, new PayloadTooLargeException(limit).getMessage());
            return;
        }
        chain.doFilter(new LimitedRequest(request, limit), response);
    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream stream;

        LimitedRequest(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new LimitedStream(super.getInputStream(), limit);
            }
            return stream;
        }
    }

    private static final class LimitedStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long limit;
        private long count;

        LimitedStream(ServletInputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            count += n;
            if (count > limit) {
                throw new PayloadTooLargeException(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}

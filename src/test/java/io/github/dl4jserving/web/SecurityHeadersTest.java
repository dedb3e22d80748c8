package io.github.dl4jserving.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Every answer, the page's files, the API's JSON and problems, and Swagger UI, tells the browser not
 * to sniff types, not to be framed, to send no referrer, and which sources a page may load.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "dl4j-serving.max-body-size=1MB")
class SecurityHeadersTest extends RunningServer {

    private static void assertSecurityHeaders(String what, HttpResponse<byte[]> r) {
        Map<String, String> h = Map.of(
                "X-Content-Type-Options",
                        r.headers().firstValue("X-Content-Type-Options").orElse(""),
                "X-Frame-Options", r.headers().firstValue("X-Frame-Options").orElse(""),
                "Referrer-Policy", r.headers().firstValue("Referrer-Policy").orElse(""),
                "Content-Security-Policy",
                        r.headers().firstValue("Content-Security-Policy").orElse(""));
        assertThat(h)
                .as(what)
                .containsEntry("X-Content-Type-Options", "nosniff")
                .containsEntry("X-Frame-Options", "DENY")
                .containsEntry("Referrer-Policy", "no-referrer");
        assertThat(h.get("Content-Security-Policy"))
                .as(what)
                .contains("default-src 'self'")
                .contains("frame-ancestors 'none'")
                .contains("object-src 'none'")
                .doesNotContain("unsafe-inline")
                .doesNotContain("unsafe-eval");
    }

    @Test
    void thePageTheApiAndSwaggerUiAllCarryTheHeaders() {
        for (String path : new String[] {
            "/",
            "/app.js",
            "/app.css",
            "/models",
            "/v3/api-docs",
            "/swagger-ui/index.html",
            "/swagger-ui/swagger-initializer.js",
            "/actuator/health"
        }) {
            HttpResponse<byte[]> r = client.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertSecurityHeaders(path, r);
        }
        assertSecurityHeaders("a 404 problem", client.get("/models/nope"));
        assertSecurityHeaders("a filter's 413", client.post("/predict", "image/png", new byte[1_500_000]));
    }

    @Test
    void theFaviconIsServed() {
        HttpResponse<byte[]> icon = client.get("/favicon.ico");
        assertThat(icon.statusCode()).isEqualTo(200);
        assertThat(icon.body()).startsWith(0, 0, 1, 0); // an ICO header
    }
}

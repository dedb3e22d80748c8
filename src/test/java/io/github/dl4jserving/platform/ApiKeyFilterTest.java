package io.github.dl4jserving.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** Which requests need the API key, and what happens without one. */
class ApiKeyFilterTest {

    private static MockHttpServletResponse send(
            ApiKeyFilter filter, String method, String uri, String remote, String... headers) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, uri);
        request.setRemoteAddr(remote);
        for (int i = 0; i < headers.length; i += 2) {
            request.addHeader(headers[i], headers[i + 1]);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, response, chain);
        if (chain.getRequest() != null) {
            response.setStatus(299); // marks "passed on to the application"
        }
        return response;
    }

    @Test
    void stateChangingRequestsNeedTheKeyAsBearerOrHeader() throws Exception {
        ApiKeyFilter filter = new ApiKeyFilter(new SecuritySettings("s3cret-key", false), ServiceRoutes.policy());
        for (String[] call : new String[][] {
            {"POST", "/jobs"},
            {"POST", "/jobs/abc/cancel"},
            {"POST", "/jobs/compare"},
            {"POST", "/datasets"},
            {"POST", "/models/m/versions"},
            {"PUT", "/models/m/default"},
            {"DELETE", "/models/m/versions/2"}
        }) {
            MockHttpServletResponse none = send(filter, call[0], call[1], "10.0.0.7");
            assertThat(none.getStatus()).as(call[1]).isEqualTo(401);
            assertThat(none.getContentType()).startsWith("application/problem+json");
            assertThat(none.getHeader("WWW-Authenticate")).isEqualTo("Bearer");
            assertThat(none.getContentAsString()).contains("API key").doesNotContain("s3cret");
            assertThat(send(filter, call[0], call[1], "10.0.0.7", "Authorization", "Bearer wrong")
                            .getStatus())
                    .isEqualTo(401);
            assertThat(send(filter, call[0], call[1], "127.0.0.1", "X-API-Key", "s3cret-key!")
                            .getStatus())
                    .as("localhost needs the key too once one is set")
                    .isEqualTo(401);
            assertThat(send(filter, call[0], call[1], "10.0.0.7", "Authorization", "Bearer s3cret-key")
                            .getStatus())
                    .isEqualTo(299);
            assertThat(send(filter, call[0], call[1], "10.0.0.7", "X-API-Key", "s3cret-key")
                            .getStatus())
                    .isEqualTo(299);
        }
    }

    @Test
    void inferenceAndReadsStayOpenUnlessReadsAreProtected() throws Exception {
        ApiKeyFilter open = new ApiKeyFilter(new SecuritySettings("k", false), ServiceRoutes.policy());
        for (String[] call : new String[][] {
            {"POST", "/predict"},
            {"POST", "/predict/mnist-mlp"},
            {"POST", "/prepare"},
            {"POST", "/v2/models/m/infer"},
            {"POST", "/v2/models/m/versions/1/infer"},
            {"GET", "/jobs"},
            {"GET", "/models"},
            {"GET", "/generate"}
        }) {
            assertThat(send(open, call[0], call[1], "10.0.0.7").getStatus())
                    .as(call[1])
                    .isEqualTo(299);
        }
        ApiKeyFilter closed = new ApiKeyFilter(new SecuritySettings("k", true), ServiceRoutes.policy());
        assertThat(send(closed, "GET", "/models", "10.0.0.7").getStatus()).isEqualTo(401);
        assertThat(send(closed, "POST", "/predict", "10.0.0.7").getStatus()).isEqualTo(401);
        assertThat(send(closed, "POST", "/predict", "10.0.0.7", "X-API-Key", "k")
                        .getStatus())
                .isEqualTo(299);
        for (String probe : new String[] {
            "/actuator/health/readiness", "/actuator/health/liveness", "/v2/health/ready", "/v2/health/live"
        }) {
            assertThat(send(closed, "GET", probe, "10.0.0.7").getStatus())
                    .as(probe)
                    .isEqualTo(299);
        }
        assertThat(send(closed, "GET", "/actuator/health", "10.0.0.7").getStatus())
                .isEqualTo(401);
    }

    @Test
    void withoutAKeyStateChangesAreAcceptedFromLocalhostOnly() throws Exception {
        ApiKeyFilter filter = new ApiKeyFilter(new SecuritySettings("", false), ServiceRoutes.policy());
        assertThat(send(filter, "POST", "/jobs", "127.0.0.1").getStatus()).isEqualTo(299);
        assertThat(send(filter, "DELETE", "/models/m/versions/2", "0:0:0:0:0:0:0:1")
                        .getStatus())
                .isEqualTo(299);
        MockHttpServletResponse remote = send(filter, "POST", "/jobs", "192.168.1.20");
        assertThat(remote.getStatus()).isEqualTo(403);
        assertThat(remote.getContentAsString()).contains("dl4j-serving.security.api-key");
        assertThat(send(filter, "POST", "/predict", "192.168.1.20").getStatus()).isEqualTo(299);
    }

    @Test
    void withoutAKeyWebPagesOfOtherSitesCannotChangeStateThroughTheLocalBrowser() throws Exception {
        ApiKeyFilter filter = new ApiKeyFilter(new SecuritySettings(null, false), ServiceRoutes.policy());
        assertThat(send(
                                filter,
                                "POST",
                                "/models/m/versions",
                                "127.0.0.1",
                                "Origin",
                                "http://localhost:8080",
                                "Sec-Fetch-Site",
                                "same-origin")
                        .getStatus())
                .as("the service's own page")
                .isEqualTo(299);
        assertThat(send(filter, "POST", "/jobs", "127.0.0.1", "Origin", "http://127.0.0.1:3000")
                        .getStatus())
                .as("another local page")
                .isEqualTo(299);
        for (String[] headers : new String[][] {
            {"Origin", "https://evil.example"},
            {"Origin", "null"},
            {"Sec-Fetch-Site", "cross-site"},
            {"Origin", "http://localhost.evil.example:8080"}
        }) {
            MockHttpServletResponse r = send(filter, "POST", "/models/m/versions", "127.0.0.1", headers);
            assertThat(r.getStatus()).as(String.join(": ", headers)).isEqualTo(403);
            assertThat(r.getContentAsString()).contains("another site");
        }
        assertThat(send(filter, "POST", "/jobs", "127.0.0.1", "X-Forwarded-For", "203.0.113.9")
                        .getStatus())
                .as("through a proxy on this machine")
                .isEqualTo(403);
        MockHttpServletRequest rebound = new MockHttpServletRequest("POST", "/jobs");
        rebound.setRemoteAddr("127.0.0.1");
        rebound.setServerName("rebound.evil.example");
        assertThat(ApiKeyFilter.fromThisMachine(rebound))
                .as("a domain rebound to 127.0.0.1")
                .isFalse();
        rebound.setServerName("[::1]");
        assertThat(ApiKeyFilter.fromThisMachine(rebound)).isTrue();
        assertThat(send(filter, "POST", "/predict", "127.0.0.1", "Origin", "https://evil.example")
                        .getStatus())
                .as("inference stays open to any page")
                .isEqualTo(299);
    }
}

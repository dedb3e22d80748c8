package io.github.dl4jserving.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** Which requests need the API key, and what happens without one. */
class ApiKeyFilterTest {

    private static MockHttpServletResponse send(ApiKeyFilter filter, String method, String uri, String remote,
            String... headers) throws Exception {
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
        ApiKeyFilter filter = new ApiKeyFilter(new SecuritySettings("s3cret-key", false));
        for (String[] call : new String[][] {{"POST", "/jobs"}, {"POST", "/jobs/abc/cancel"}, {"POST", "/jobs/compare"},
                {"POST", "/datasets"}, {"POST", "/models/m/versions"}, {"PUT", "/models/m/default"},
                {"DELETE", "/models/m/versions/2"}}) {
            MockHttpServletResponse none = send(filter, call[0], call[1], "10.0.0.7");
            assertThat(none.getStatus()).as(call[1]).isEqualTo(401);
            assertThat(none.getContentType()).startsWith("application/problem+json");
            assertThat(none.getHeader("WWW-Authenticate")).isEqualTo("Bearer");
            assertThat(none.getContentAsString()).contains("API key").doesNotContain("s3cret");
            assertThat(send(filter, call[0], call[1], "10.0.0.7", "Authorization", "Bearer wrong").getStatus())
                    .isEqualTo(401);
            assertThat(send(filter, call[0], call[1], "127.0.0.1", "X-API-Key", "s3cret-key!").getStatus())
                    .as("localhost needs the key too once one is set").isEqualTo(401);
            assertThat(send(filter, call[0], call[1], "10.0.0.7", "Authorization", "Bearer s3cret-key").getStatus())
                    .isEqualTo(299);
            assertThat(send(filter, call[0], call[1], "10.0.0.7", "X-API-Key", "s3cret-key").getStatus())
                    .isEqualTo(299);
        }
    }

    @Test
    void inferenceAndReadsStayOpenUnlessReadsAreProtected() throws Exception {
        ApiKeyFilter open = new ApiKeyFilter(new SecuritySettings("k", false));
        for (String[] call : new String[][] {{"POST", "/predict"}, {"POST", "/predict/mnist-mlp"}, {"POST", "/prepare"},
                {"POST", "/v2/models/m/infer"}, {"POST", "/v2/models/m/versions/1/infer"}, {"GET", "/jobs"},
                {"GET", "/models"}, {"GET", "/generate"}}) {
            assertThat(send(open, call[0], call[1], "10.0.0.7").getStatus()).as(call[1]).isEqualTo(299);
        }
        ApiKeyFilter closed = new ApiKeyFilter(new SecuritySettings("k", true));
        assertThat(send(closed, "GET", "/models", "10.0.0.7").getStatus()).isEqualTo(401);
        assertThat(send(closed, "POST", "/predict", "10.0.0.7").getStatus()).isEqualTo(401);
        assertThat(send(closed, "POST", "/predict", "10.0.0.7", "X-API-Key", "k").getStatus()).isEqualTo(299);
    }

    @Test
    void withoutAKeyStateChangesAreAcceptedFromLocalhostOnly() throws Exception {
        ApiKeyFilter filter = new ApiKeyFilter(new SecuritySettings("", false));
        assertThat(send(filter, "POST", "/jobs", "127.0.0.1").getStatus()).isEqualTo(299);
        assertThat(send(filter, "DELETE", "/models/m/versions/2", "0:0:0:0:0:0:0:1").getStatus()).isEqualTo(299);
        MockHttpServletResponse remote = send(filter, "POST", "/jobs", "192.168.1.20");
        assertThat(remote.getStatus()).isEqualTo(403);
        assertThat(remote.getContentAsString()).contains("dl4j-serving.security.api-key");
        assertThat(send(filter, "POST", "/predict", "192.168.1.20").getStatus()).isEqualTo(299);
    }
}

package io.github.dl4jserving.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** Query strings, Accept and Content-Type headers nothing could parse are refused with a problem up front. */
class MalformedRequestCheckTest {

    @Test
    void acceptsPlainAndWellFormedEscapesAndRefusesTheRest() {
        for (String ok :
                new String[] {"", "a=1", "a=1&b=2", "k=%20x+y", "name=%C3%BC", "x=%25", "flag", "a=&b", "%41=1"}) {
            assertThat(MalformedRequestCheck.decodable(ok)).as(ok).isTrue();
        }
        for (String bad :
                new String[] {"x=%ff", "k=%zz", "x=%", "x=%4", "x=%c3%28", "%ff=1", "a=1&b=%e2%82", "x=%4g"}) {
            assertThat(MalformedRequestCheck.decodable(bad)).as(bad).isFalse();
        }
    }

    @Test
    void answersAProblemAndDoesNotCallTheChain() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/actuator/health");
        request.setQueryString("x=%ff");
        MockHttpServletResponse response = new MockHttpServletResponse();
        boolean[] reached = {false};
        new MalformedRequestCheck().doFilter(request, response, (req, res) -> reached[0] = true);
        assertThat(reached[0]).isFalse();
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getContentType()).startsWith("application/problem+json");
        assertThat(response.getContentAsString()).contains("%25");

        MockHttpServletRequest fine = new MockHttpServletRequest("GET", "/models");
        fine.setQueryString("name=%C3%BC");
        new MalformedRequestCheck().doFilter(fine, new MockHttpServletResponse(), (req, res) -> reached[0] = true);
        assertThat(reached[0]).isTrue();
    }

    @Test
    void anUnparseableAcceptHeaderGetsA400ProblemInsteadOfAnEmpty406() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/predict");
        request.addHeader("Accept", ";;;garbage//");
        MockHttpServletResponse response = new MockHttpServletResponse();
        boolean[] reached = {false};

        new MalformedRequestCheck().doFilter(request, response, (req, res) -> reached[0] = true);

        assertThat(reached[0]).isFalse();
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getContentType()).startsWith("application/problem+json");
        assertThat(response.getContentAsString()).contains("Accept header");
    }

    @Test
    void anUnknownCharsetIsNamedInsteadOfBeingCalledAMissingContentType() {
        assertThat(MalformedRequestCheck.contentTypeProblem("application/json; charset=bogus"))
                .contains("charset 'bogus'", "UTF-8");
        assertThat(MalformedRequestCheck.contentTypeProblem("application/json; charset=\"a b\""))
                .contains("charset");
        assertThat(MalformedRequestCheck.contentTypeProblem("no slash here")).contains("not a media type");
        assertThat(MalformedRequestCheck.contentTypeProblem("application/json; charset=UTF-8"))
                .isNull();
        assertThat(MalformedRequestCheck.contentTypeProblem("multipart/form-data; boundary=x"))
                .isNull();
    }
}

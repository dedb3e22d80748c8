package io.github.dl4jserving.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** Query strings Tomcat could not decode are refused with 400 before anything parses them. */
class QueryStringCheckTest {

    @Test
    void acceptsPlainAndWellFormedEscapesAndRefusesTheRest() {
        for (String ok :
                new String[] {"", "a=1", "a=1&b=2", "k=%20x+y", "name=%C3%BC", "x=%25", "flag", "a=&b", "%41=1"}) {
            assertThat(QueryStringCheck.decodable(ok)).as(ok).isTrue();
        }
        for (String bad :
                new String[] {"x=%ff", "k=%zz", "x=%", "x=%4", "x=%c3%28", "%ff=1", "a=1&b=%e2%82", "x=%4g"}) {
            assertThat(QueryStringCheck.decodable(bad)).as(bad).isFalse();
        }
    }

    @Test
    void answersAProblemAndDoesNotCallTheChain() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/actuator/health");
        request.setQueryString("x=%ff");
        MockHttpServletResponse response = new MockHttpServletResponse();
        boolean[] reached = {false};
        new QueryStringCheck().doFilter(request, response, (req, res) -> reached[0] = true);
        assertThat(reached[0]).isFalse();
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getContentType()).startsWith("application/problem+json");
        assertThat(response.getContentAsString()).contains("%25");

        MockHttpServletRequest fine = new MockHttpServletRequest("GET", "/models");
        fine.setQueryString("name=%C3%BC");
        new QueryStringCheck().doFilter(fine, new MockHttpServletResponse(), (req, res) -> reached[0] = true);
        assertThat(reached[0]).isTrue();
    }
}

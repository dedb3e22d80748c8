package io.github.dl4jserving.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class FilterProblemsTest {

    @Test
    void backslashesQuotesAndControlCharactersStayWellFormedJson() {
        String detail = "a \"quoted\" C:\\path\\ with a tab\t, a newline\n, a bell \u0007 and \u2028";
        String instance = "/predict/\\\"x\u0001";

        JsonNode problem = JsonMapper.builder()
                .build()
                .readTree(FilterProblems.json(HttpStatus.CONTENT_TOO_LARGE, detail, instance));

        assertThat(problem.get("detail").asString()).isEqualTo(detail);
        assertThat(problem.get("instance").asString()).isEqualTo(instance);
        assertThat(problem.get("status").asInt()).isEqualTo(413);
        assertThat(problem.get("title").asString()).isEqualTo("Content Too Large");
        assertThat(problem.has("type"))
                .as("about:blank is left out, as Spring's ProblemDetail leaves it")
                .isFalse();
    }
}

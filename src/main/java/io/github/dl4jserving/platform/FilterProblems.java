package io.github.dl4jserving.platform;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * RFC 9457 answers written by the servlet filters, which refuse requests before Spring MVC (and
 * its ProblemHandlers) sees them, in the shape Spring's {@code ProblemDetail} has: title, status,
 * detail and the request's path as {@code instance}, and no {@code type} (about:blank, which Spring
 * leaves out). Jackson writes them, so any character in a detail (quotes, backslashes, control
 * characters) comes out as well-formed JSON.
 */
public final class FilterProblems {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private FilterProblems() {}

    /** Writes {@code status} with {@code detail}, for the path of {@code request}. */
    public static void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail)
            throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(json(status, detail, request.getRequestURI()));
    }

    /** The problem document itself. */
    public static String json(HttpStatus status, String detail, String instance) {
        return json(status.value(), status.getReasonPhrase(), detail, instance);
    }

    static String json(int status, String title, String detail, String instance) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        if (instance != null) {
            problem.put("instance", instance);
        }
        return JSON.writeValueAsString(problem);
    }
}

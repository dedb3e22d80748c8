package io.github.dl4jserving.platform;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * RFC 9457 answers written by the servlet filters, which refuse requests before Spring MVC (and
 * its ProblemHandlers) sees them. Details are the filters' own sentences; double quotes in them
 * become single quotes, and are dropped from the instance, so the JSON stays well formed.
 */
final class FilterProblems {
    private FilterProblems() {
    }

    /** Writes {@code status} with {@code detail}, and {@code instance} unless it is null. */
    static void write(HttpServletResponse response, HttpStatus status, String detail, String instance)
            throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"" + status.getReasonPhrase() + "\",\"status\":"
                + status.value() + ",\"detail\":\"" + detail.replace("\"", "'") + "\""
                + (instance != null ? ",\"instance\":\"" + instance.replace("\"", "") + "\"" : "") + "}");
    }
}

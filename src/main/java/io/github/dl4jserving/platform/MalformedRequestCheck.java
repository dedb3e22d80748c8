package io.github.dl4jserving.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a query string Tomcat could not decode: a {@code %} not followed by two hex digits, or
 * escapes that are not UTF-8 ({@code ?x=%ff}). Tomcat parses parameters only when code first asks
 * for them, and then throws from deep inside a controller or an Actuator endpoint, which answered
 * 500 and logged a stack trace at ERROR for every such request. Here they get a 400 problem, and
 * nothing is logged.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class QueryStringCheck extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String query = request.getQueryString();
        if (query != null && !decodable(query)) {
            FilterProblems.write(
                    response,
                    HttpStatus.BAD_REQUEST,
                    "The query string is not valid: every '%' must start an escape of two hex digits, and the "
                            + "escaped bytes must be UTF-8 (a space is %20 or +, a '%' itself is %25).",
                    null);
            return;
        }
        chain.doFilter(request, response);
    }

    /** Whether every {@code name=value} part of {@code query} percent-decodes to UTF-8. */
    static boolean decodable(String query) {
        for (String part : query.split("[&=]", -1)) {
            if (part.indexOf('%') >= 0 && !decodablePart(part)) {
                return false;
            }
        }
        return true;
    }

    private static boolean decodablePart(String part) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(part.length());
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            if (i + 2 >= part.length()) {
                return false;
            }
            int hi = Character.digit(part.charAt(i + 1), 16);
            int lo = Character.digit(part.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) {
                return false;
            }
            bytes.write(hi * 16 + lo);
            i += 2;
        }
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}

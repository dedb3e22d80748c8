package io.github.dl4jserving.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses, with a problem that says what is wrong, what Tomcat and Spring would otherwise fail on
 * deep inside a request:
 *
 * <ul>
 *   <li>a query string that cannot be decoded: a {@code %} not followed by two hex digits, or escapes
 *       that are not UTF-8 ({@code ?x=%ff}). Tomcat parses parameters only when code first asks for
 *       them, and then throws from inside a controller or an Actuator endpoint, which answered 500 and
 *       logged a stack trace at ERROR for every such request;
 *   <li>an {@code Accept} header that is not a list of media types, which Spring answered with a 406
 *       and an empty body, since it could not choose a type for the problem either;
 *   <li>a {@code Content-Type} that is not a media type, or names a charset Java does not know, which
 *       was reported as a body with no Content-Type at all.
 * </ul>
 */
@Component
@Order(FilterOrder.MALFORMED_REQUEST)
class MalformedRequestCheck extends OncePerRequestFilter {
    private static final Pattern CHARSET = Pattern.compile("(?i);\\s*charset\\s*=\\s*\"?([^\";]*)\"?");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        if (accept != null && !parses(accept, true)) {
            FilterProblems.write(
                    request,
                    response,
                    HttpStatus.BAD_REQUEST,
                    "The Accept header is not a list of media types such as application/json or */*.");
            return;
        }
        String type = request.getContentType();
        if (type != null && !type.isBlank()) {
            String wrong = contentTypeProblem(type);
            if (wrong != null) {
                FilterProblems.write(request, response, HttpStatus.UNSUPPORTED_MEDIA_TYPE, wrong);
                return;
            }
        }
        String query = request.getQueryString();
        if (query != null && !decodable(query)) {
            FilterProblems.write(
                    request,
                    response,
                    HttpStatus.BAD_REQUEST,
                    "The query string is not valid: every '%' must start an escape of two hex digits, and the "
                            + "escaped bytes must be UTF-8 (a space is %20 or +, a '%' itself is %25).");
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean parses(String header, boolean list) {
        try {
            if (list) {
                MediaType.parseMediaTypes(header);
            } else {
                MediaType.parseMediaType(header);
            }
            return true;
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    /** What is wrong with a Content-Type header, or null when it is a media type with a known charset. */
    static String contentTypeProblem(String header) {
        Matcher charset = CHARSET.matcher(header);
        if (charset.find()) {
            String name = charset.group(1).trim();
            boolean known;
            try {
                known = Charset.isSupported(name);
            } catch (IllegalCharsetNameException e) {
                known = false;
            }
            if (!known) {
                return "The Content-Type names the charset '"
                        + (name.length() > 40 ? name.substring(0, 40) + "..." : name)
                        + "', which is not known here. Send UTF-8 and say charset=utf-8, or leave the charset out.";
            }
        }
        return parses(header, false)
                ? null
                : "The Content-Type header is not a media type such as application/json or image/png.";
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

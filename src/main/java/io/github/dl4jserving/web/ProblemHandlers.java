package io.github.dl4jserving.web;

import io.github.dl4jserving.platform.PayloadTooLargeException;
import io.github.dl4jserving.platform.Rejection;
import io.github.dl4jserving.platform.Rejections;
import io.github.dl4jserving.platform.ServiceException;
import io.github.dl4jserving.platform.StorageException;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Maps every failure to an RFC 9457 problem with a {@code detail} that says what to fix. Spring
 * MVC's own exceptions (415, 405, 406, missing parts, unreadable bodies) go through the base class;
 * anything unexpected becomes a 500 whose detail carries no stack trace or internal message.
 */
@RestControllerAdvice
class ProblemHandlers extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ProblemHandlers.class);
    private final Rejections rejections;

    ProblemHandlers(Rejections rejections) {
        this.rejections = rejections;
    }

    /** Every refusal the modules raise: one shape, counted once when it refuses an inference request. */
    @ExceptionHandler(ServiceException.class)
    ResponseEntity<Object> refused(ServiceException e) {
        rejections.count(e);
        if (e.logged()) {
            // one line at WARN (a store outage could otherwise log a stack per request); the cause at DEBUG
            log.warn("{}", e.getMessage());
            log.debug("Cause of: {}", e.getMessage(), e.getCause());
        }
        ProblemDetail p = ProblemDetail.forStatusAndDetail(e.status(), e.getMessage());
        p.setTitle(e.title());
        if (e.field() != null) {
            p.setProperty("field", e.field());
        }
        e.properties().forEach(p::setProperty);
        ResponseEntity.BodyBuilder answer =
                ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (e.retryAfterSeconds() != null) {
            answer.header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds().toString());
        }
        return answer.body(p);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> badParameter(MethodArgumentTypeMismatchException e) {
        return problem(
                HttpStatus.BAD_REQUEST,
                "Bad parameter",
                "The parameter '" + e.getName() + "' must be " + describe(e.getRequiredType()) + ".",
                e.getName());
    }

    /**
     * Spring reports a multipart body that could not be spooled to disk as "maximum upload size
     * exceeded" when the disk's reason says "too large" (EFBIG), so the cause decides here.
     */
    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(
            MaxUploadSizeExceededException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return multipart(e);
    }

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<Object> multipart(MultipartException e) {
        if (rootCause(e) instanceof PayloadTooLargeException tooLarge) {
            return refused(tooLarge);
        }
        if (rootCause(e) instanceof IOException io && StorageException.isStorage(io)) {
            return refused(StorageException.of("the upload", io, StorageException.TEMP_DIR));
        }
        if (e instanceof MaxUploadSizeExceededException) {
            rejections.count(Rejection.TOO_LARGE);
            return problem(
                    HttpStatus.CONTENT_TOO_LARGE,
                    "Content too large",
                    "The upload is larger than dl4j-serving.max-body-size. Send a smaller file.",
                    null);
        }
        return problem(
                HttpStatus.BAD_REQUEST,
                "Malformed multipart request",
                "The multipart body could not be parsed. Send a multipart/form-data body with an 'image' file part.",
                null);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e) {
        if (rootCause(e) instanceof PayloadTooLargeException tooLarge) {
            return refused(tooLarge);
        }
        log.error("Unexpected failure", e);
        return problem(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "Internal error",
                "The server failed to handle this request. It has been logged; try again later.",
                null);
    }

    /**
     * A body of a type the endpoint does not take (curl's default form encoding, say): the problem
     * lists the types it does take, as does the {@code Accept} header Spring adds.
     */
    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(
            HttpMediaTypeNotSupportedException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<String> accepted = e.getSupportedMediaTypes().stream()
                .map(MediaType::toString)
                .distinct()
                .toList();
        String sent = e.getContentType() == null ? "no Content-Type" : "Content-Type '" + e.getContentType() + "'";
        ProblemDetail p = ProblemDetail.forStatusAndDetail(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "A body with " + sent
                        + " is not accepted here. Send one of: " + String.join(", ", accepted)
                        + " (with curl: -F image=@file for multipart, or -H 'Content-Type: ...' --data-binary @file).");
        p.setTitle("Unsupported media type");
        p.setProperty("accepted", accepted);
        return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .headers(headers)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(p);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (rootCause(e) instanceof PayloadTooLargeException tooLarge) {
            return refused(tooLarge);
        }
        if (e.getMessage() != null && e.getMessage().startsWith("Required request body is missing")) {
            return problem(
                    HttpStatus.BAD_REQUEST, "Empty request body", "The request body is empty: send the data.", null);
        }
        String duplicate = duplicateKey(e);
        if (duplicate != null) {
            return problem(
                    HttpStatus.BAD_REQUEST,
                    "Duplicate JSON key",
                    "The JSON body names the key '" + duplicate + "' twice in one object. Send each key once.",
                    duplicate);
        }
        return problem(
                HttpStatus.BAD_REQUEST,
                "Unreadable request body",
                "The request body could not be parsed: send well-formed JSON (or CSV with Content-Type: text/csv).",
                null);
    }

    private static final Pattern DUPLICATE = Pattern.compile("Duplicate Object property \"([^\"]{1,64})\"");

    /** The key a JSON body repeats (STRICT_DUPLICATE_DETECTION), or null. */
    static String duplicateKey(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            Matcher m = t.getMessage() == null ? null : DUPLICATE.matcher(t.getMessage());
            if (m != null && m.find()) {
                return m.group(1);
            }
        }
        return null;
    }

    private static ResponseEntity<Object> problem(HttpStatus status, String title, String detail, String field) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setTitle(title);
        if (field != null) {
            p.setProperty("field", field);
        }
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(p);
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        for (int i = 0; i < 20 && t.getCause() != null && t.getCause() != t; i++) {
            if (t instanceof PayloadTooLargeException) {
                return t;
            }
            t = t.getCause();
        }
        return t;
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        return switch (type.getSimpleName().toLowerCase(Locale.ROOT)) {
            case "integer", "int", "long" -> "a whole number in plain decimal digits (no +, leading zeros or 0x)";
            case "double", "float" -> "a number";
            default -> "a " + type.getSimpleName();
        };
    }
}

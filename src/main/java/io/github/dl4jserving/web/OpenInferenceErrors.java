package io.github.dl4jserving.web;

import io.github.dl4jserving.platform.Rejections;
import io.github.dl4jserving.platform.ServiceException;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/** Errors of the Open Inference Protocol endpoints, in the protocol's {@code {"error": "..."}} shape. */
@RestControllerAdvice(assignableTypes = OpenInferenceController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class OpenInferenceErrors {

    private final Rejections rejections;

    OpenInferenceErrors(Rejections rejections) {
        this.rejections = rejections;
    }

    /**
     * Every refusal the modules raise, with the status the REST API gives it except that a value the
     * model cannot take is the protocol's 400 (its clients know no 422).
     */
    @ExceptionHandler(ServiceException.class)
    ResponseEntity<Map<String, String>> refused(ServiceException e) {
        rejections.count(e);
        HttpStatus status = e.status() == HttpStatus.UNPROCESSABLE_CONTENT ? HttpStatus.BAD_REQUEST : e.status();
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON);
        if (e.retryAfterSeconds() != null) {
            answer.header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds().toString());
        }
        return answer.body(Map.of("error", e.getMessage()));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Map<String, String>> badParameter(MethodArgumentTypeMismatchException e) {
        return error(
                HttpStatus.BAD_REQUEST,
                "The " + e.getName() + " must be a whole number in plain decimal digits (no +, leading zeros or 0x).");
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, String>> unreadable(HttpMessageNotReadableException e) {
        return error(HttpStatus.BAD_REQUEST, "The request body is not a valid inference request JSON object.");
    }

    private static ResponseEntity<Map<String, String>> error(HttpStatus status, String message) {
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("error", message));
    }
}

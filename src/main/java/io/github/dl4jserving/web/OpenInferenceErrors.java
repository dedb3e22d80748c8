package io.github.dl4jserving.web;

import io.github.dl4jserving.datasets.DecoderBusyException;
import io.github.dl4jserving.datasets.NoDigitFoundException;
import io.github.dl4jserving.datasets.PixelBudgetExceededException;
import io.github.dl4jserving.datasets.UnreadableImageException;
import io.github.dl4jserving.inference.InvalidInputException;
import io.github.dl4jserving.inference.NonFiniteOutputException;
import io.github.dl4jserving.inference.ServiceBusyException;
import io.github.dl4jserving.registry.ModelNotFoundException;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
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

    @ExceptionHandler(ModelNotFoundException.class)
    ResponseEntity<Map<String, String>> notFound(ModelNotFoundException e) {
        return error(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler({InvalidInputException.class, UnreadableImageException.class, NoDigitFoundException.class})
    ResponseEntity<Map<String, String>> badRequest(RuntimeException e) {
        return error(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(PixelBudgetExceededException.class)
    ResponseEntity<Map<String, String>> overBudget(PixelBudgetExceededException e) {
        return error(HttpStatus.CONTENT_TOO_LARGE, e.getMessage());
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

    @ExceptionHandler(NonFiniteOutputException.class)
    ResponseEntity<Map<String, String>> nonFinite(NonFiniteOutputException e) {
        return error(HttpStatus.INTERNAL_SERVER_ERROR, e.getMessage());
    }

    @ExceptionHandler(DecoderBusyException.class)
    ResponseEntity<Map<String, String>> decoderBusy(DecoderBusyException e) {
        return busy(new ServiceBusyException(e.getMessage()));
    }

    @ExceptionHandler(ServiceBusyException.class)
    ResponseEntity<Map<String, String>> busy(ServiceBusyException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header("Retry-After", "1")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("error", e.getMessage()));
    }

    private static ResponseEntity<Map<String, String>> error(HttpStatus status, String message) {
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("error", message));
    }
}

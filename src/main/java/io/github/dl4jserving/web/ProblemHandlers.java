package io.github.dl4jserving.web;

import io.github.dl4jserving.datasets.DatasetNotFoundException;
import io.github.dl4jserving.datasets.DecoderBusyException;
import io.github.dl4jserving.datasets.InvalidDatasetException;
import io.github.dl4jserving.datasets.NoDigitFoundException;
import io.github.dl4jserving.datasets.PixelBudgetExceededException;
import io.github.dl4jserving.datasets.UnreadableImageException;
import io.github.dl4jserving.inference.InvalidInputException;
import io.github.dl4jserving.inference.NonFiniteOutputException;
import io.github.dl4jserving.inference.ServiceBusyException;
import io.github.dl4jserving.inference.UnsupportedInputException;
import io.github.dl4jserving.platform.PayloadTooLargeException;
import io.github.dl4jserving.platform.Rejections;
import io.github.dl4jserving.platform.StorageException;
import io.github.dl4jserving.registry.InvalidModelException;
import io.github.dl4jserving.registry.ModelConflictException;
import io.github.dl4jserving.registry.ModelNotFoundException;
import io.github.dl4jserving.registry.StoreUnavailableException;
import io.github.dl4jserving.training.InvalidHyperparameterException;
import io.github.dl4jserving.training.JobConflictException;
import io.github.dl4jserving.training.JobNotFoundException;
import io.github.dl4jserving.training.JobQueueFullException;
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

    @ExceptionHandler(ModelNotFoundException.class)
    ResponseEntity<Object> notFound(ModelNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Model not found", e.getMessage(), null);
    }

    @ExceptionHandler(ModelConflictException.class)
    ResponseEntity<Object> conflict(ModelConflictException e) {
        return problem(HttpStatus.CONFLICT, "Conflict", e.getMessage(), null);
    }

    @ExceptionHandler(JobNotFoundException.class)
    ResponseEntity<Object> jobNotFound(JobNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Job not found", e.getMessage(), null);
    }

    @ExceptionHandler(JobConflictException.class)
    ResponseEntity<Object> jobConflict(JobConflictException e) {
        return problem(HttpStatus.CONFLICT, "Conflict", e.getMessage(), null);
    }

    @ExceptionHandler(JobQueueFullException.class)
    ResponseEntity<Object> queueFull(JobQueueFullException e) {
        ResponseEntity<Object> r = problem(HttpStatus.TOO_MANY_REQUESTS, "Training queue full", e.getMessage(), null);
        return ResponseEntity.status(r.getStatusCode())
                .headers(r.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, "30")
                .body(r.getBody());
    }

    @ExceptionHandler(InvalidHyperparameterException.class)
    ResponseEntity<Object> invalidTrainingRequest(InvalidHyperparameterException e) {
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid training request", e.getMessage(), e.field());
    }

    @ExceptionHandler(InvalidDatasetException.class)
    ResponseEntity<Object> invalidDataset(InvalidDatasetException e) {
        ResponseEntity<Object> r =
                problem(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid data set", e.getMessage(), e.column());
        if (e.row() != null && r.getBody() instanceof ProblemDetail p) {
            p.setProperty("row", e.row());
        }
        return r;
    }

    @ExceptionHandler(DatasetNotFoundException.class)
    ResponseEntity<Object> datasetNotFound(DatasetNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Data set not found", e.getMessage(), null);
    }

    @ExceptionHandler(InvalidModelException.class)
    ResponseEntity<Object> invalidModel(InvalidModelException e) {
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid model", e.getMessage(), e.field());
    }

    @ExceptionHandler(InvalidInputException.class)
    ResponseEntity<Object> invalid(InvalidInputException e) {
        if (!e.counted()) {
            // refused while parsing the request, before any model was chosen
            rejections.count("bad_input", Rejections.UNKNOWN, Rejections.UNKNOWN);
        }
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid input", e.getMessage(), e.field());
    }

    @ExceptionHandler(NoDigitFoundException.class)
    ResponseEntity<Object> noDigit(NoDigitFoundException e) {
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, "No digit in the image", e.getMessage(), "image");
    }

    @ExceptionHandler(UnreadableImageException.class)
    ResponseEntity<Object> unreadable(UnreadableImageException e) {
        return problem(HttpStatus.BAD_REQUEST, "Unreadable image", e.getMessage(), "image");
    }

    @ExceptionHandler(PixelBudgetExceededException.class)
    ResponseEntity<Object> overBudget(PixelBudgetExceededException e) {
        rejections.count("too_large", Rejections.UNKNOWN, Rejections.UNKNOWN);
        return problem(HttpStatus.CONTENT_TOO_LARGE, "Too many pixels to decode", e.getMessage(), "image");
    }

    @ExceptionHandler(UnsupportedInputException.class)
    ResponseEntity<Object> unsupported(UnsupportedInputException e) {
        return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type", e.getMessage(), null);
    }

    @ExceptionHandler(PayloadTooLargeException.class)
    ResponseEntity<Object> tooLarge(PayloadTooLargeException e) {
        rejections.count("too_large", Rejections.UNKNOWN, Rejections.UNKNOWN);
        return problem(HttpStatus.CONTENT_TOO_LARGE, "Content too large", e.getMessage(), null);
    }

    @ExceptionHandler(DecoderBusyException.class)
    ResponseEntity<Object> decoderBusy(DecoderBusyException e) {
        return busy(new ServiceBusyException(e.getMessage()));
    }

    @ExceptionHandler(ServiceBusyException.class)
    ResponseEntity<Object> busy(ServiceBusyException e) {
        ResponseEntity<Object> r = problem(HttpStatus.SERVICE_UNAVAILABLE, "Busy", e.getMessage(), null);
        return ResponseEntity.status(r.getStatusCode())
                .headers(r.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, "1")
                .body(r.getBody());
    }

    @ExceptionHandler(NonFiniteOutputException.class)
    ResponseEntity<Object> nonFinite(NonFiniteOutputException e) {
        ResponseEntity<Object> r =
                problem(HttpStatus.INTERNAL_SERVER_ERROR, "Model answered NaN", e.getMessage(), null);
        if (r.getBody() instanceof ProblemDetail p) {
            p.setProperty("model", e.model());
            p.setProperty("version", e.version());
        }
        return r;
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> badParameter(MethodArgumentTypeMismatchException e) {
        return problem(
                HttpStatus.BAD_REQUEST,
                "Bad parameter",
                "The parameter '" + e.getName() + "' must be " + describe(e.getRequiredType()) + ".",
                e.getName());
    }

    @ExceptionHandler(StoreUnavailableException.class)
    ResponseEntity<Object> storeUnavailable(StoreUnavailableException e) {
        log.warn("{}", e.getMessage());
        ResponseEntity<Object> r =
                problem(HttpStatus.SERVICE_UNAVAILABLE, "Model store unavailable", e.getMessage(), null);
        return ResponseEntity.status(r.getStatusCode())
                .headers(r.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, "10")
                .body(r.getBody());
    }

    @ExceptionHandler(StorageException.class)
    ResponseEntity<Object> storage(StorageException e) {
        log.warn("{}", e.getMessage(), e.getCause());
        return problem(HttpStatus.INSUFFICIENT_STORAGE, "Insufficient storage", e.getMessage(), null);
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
            return tooLarge(tooLarge);
        }
        if (rootCause(e) instanceof IOException io && StorageException.isStorage(io)) {
            return storage(StorageException.of("the upload", io, StorageException.TEMP_DIR));
        }
        if (e instanceof MaxUploadSizeExceededException) {
            rejections.count("too_large", Rejections.UNKNOWN, Rejections.UNKNOWN);
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
            return tooLarge(tooLarge);
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
            return tooLarge(tooLarge);
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

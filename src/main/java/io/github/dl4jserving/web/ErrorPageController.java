package io.github.dl4jserving.web;

import io.github.dl4jserving.platform.ReadEndpoint;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Spring Boot's {@code BasicErrorController}, whose JSON body is not a problem document
 * and which answered a plain {@code GET /error} with 500 and {@code "status":999}. An error the
 * container forwards here keeps its status and gets a problem without internals; a client that asks
 * for {@code /error} itself gets a 400 problem.
 */
@Hidden
@RestController
class ErrorPageController implements ErrorController {

    @ReadEndpoint
    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer c ? HttpStatus.resolve(c) : null;
        ProblemDetail p;
        if (status == null) {
            p = ProblemDetail.forStatusAndDetail(
                    HttpStatus.BAD_REQUEST,
                    "/error is where the server writes its own error answers; it is not a resource to request.");
        } else {
            p = ProblemDetail.forStatusAndDetail(
                    status,
                    status.is5xxServerError()
                            ? "The server failed to handle this request. Try again later."
                            : "The request could not be handled (" + status.getReasonPhrase() + ").");
        }
        return ResponseEntity.status(p.getStatus())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(p);
    }
}

package io.github.dl4jserving.web;

import io.github.dl4jserving.platform.ChangesState;
import io.github.dl4jserving.platform.ReadEndpoint;
import io.github.dl4jserving.platform.TrainerOwned;
import io.github.dl4jserving.training.InvalidHyperparameterException;
import io.github.dl4jserving.training.JobEvent;
import io.github.dl4jserving.training.JobStatus;
import io.github.dl4jserving.training.TrainerInfo;
import io.github.dl4jserving.training.TrainingJob;
import io.github.dl4jserving.training.TrainingJobs;
import io.github.dl4jserving.training.TrainingSettings;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.util.UriComponentsBuilder;

/** Training jobs over REST: the trainer catalogue, start, list, inspect, cancel, live events, loss chart. */
@RestController
@Tag(name = "Training")
@TrainerOwned
class TrainingController {
    private final TrainingJobs jobs;
    private final long eventStreamMillis;
    private final Duration eventsIdleTimeout;
    private final IdleEventStreams idleStreams;

    TrainingController(TrainingJobs jobs, TrainingSettings settings, IdleEventStreams idleStreams) {
        this.jobs = jobs;
        this.eventStreamMillis = settings.eventsTimeout().toMillis();
        this.eventsIdleTimeout = settings.eventsIdleTimeout();
        this.idleStreams = idleStreams;
    }

    /**
     * A request to train.
     *
     * @param model   the trainer (model type) to run
     * @param dataset a built-in data set of the trainer, or an uploaded data set's id
     * @param promote always, never or if-better (the default)
     * @param name    the registry model to write; the trainer's name by default, required for uploaded data
     * @param resumeFrom the id of a stopped job to continue from its last checkpoint, with its trainer,
     *     data and target; the hyperparameters given change its own
     */
    record JobRequest(
            String model,
            String dataset,
            Map<String, Object> hyperparameters,
            String promote,
            String name,
            String resumeFrom) {}

    @Operation(
            operationId = "listTrainers",
            summary = "Every trainable model type with its hyperparameters "
                    + "(types, defaults, ranges) and the datasets it accepts")
    @ReadEndpoint
    @GetMapping("/trainers")
    List<TrainerInfo> trainers() {
        return jobs.trainers();
    }

    @Operation(
            operationId = "startJob",
            summary = "Start a training job; 202 with its Location, 429 when the "
                    + "queue is full, 422 naming a bad hyperparameter")
    @ChangesState
    @PostMapping(path = "/jobs", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<TrainingJob> start(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = true,
                            content = @Content(schema = @Schema(implementation = JobRequest.class)))
                    @RequestBody
                    Map<String, Object> body) {
        JobRequest request = JobRequests.parse(body, jobs.trainers());
        TrainingJob job = request.resumeFrom() != null
                ? jobs.resume(
                        request.resumeFrom(),
                        request.model(),
                        request.dataset(),
                        request.hyperparameters(),
                        request.promote())
                : jobs.submit(
                        request.model(),
                        request.dataset(),
                        request.hyperparameters(),
                        request.promote(),
                        request.name());
        return ResponseEntity.accepted()
                .location(URI.create("/jobs/" + job.id()))
                .body(job);
    }

    @Operation(
            operationId = "listJobs",
            summary = "Jobs, newest first, optionally filtered by status and model, a page at a time: when "
                    + "there are more, the Link header's rel=\"next\" gives the next page's address")
    @ReadEndpoint
    @GetMapping("/jobs")
    ResponseEntity<List<TrainingJob>> list(
            @RequestParam(required = false) JobStatus status,
            @RequestParam(required = false) String model,
            @Parameter(description = "jobs per page, 1 to 1000") @RequestParam(defaultValue = "100") int limit,
            @Parameter(description = "the id of the last job of the page before, from the Link header")
                    @RequestParam(required = false)
                    String after) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new InvalidHyperparameterException(
                    "limit", "limit must be a whole number from 1 to " + MAX_PAGE + ", not " + limit + ".");
        }
        TrainingJobs.Page page = jobs.page(status, model, limit, after);
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok();
        if (page.next() != null) {
            UriComponentsBuilder next = UriComponentsBuilder.fromPath("/jobs")
                    .queryParam("limit", limit)
                    .queryParam("after", page.next());
            if (status != null) {
                next.queryParam("status", status);
            }
            if (model != null) {
                next.queryParam("model", model);
            }
            ok.header(HttpHeaders.LINK, "<" + next.encode().build().toUriString() + ">; rel=\"next\"");
        }
        return ok.body(page.jobs());
    }

    private static final int MAX_PAGE = 1000;

    @Operation(
            operationId = "getJob",
            summary = "A job: status, progress, epoch, iteration, loss, ETA, per-epoch "
                    + "history, result version and promotion decision")
    @ReadEndpoint
    @GetMapping("/jobs/{id}")
    TrainingJob get(@PathVariable String id) {
        return jobs.get(id);
    }

    @Operation(
            operationId = "cancelJob",
            summary = "Cancel a job: removed if queued, stopped within one iteration if "
                    + "running; 409 if it already finished")
    @ChangesState
    @PostMapping("/jobs/{id}/cancel")
    ResponseEntity<TrainingJob> cancel(@PathVariable String id) {
        return ResponseEntity.accepted().body(jobs.cancel(id));
    }

    @Operation(
            operationId = "jobEvents",
            summary = "Server-sent events: the current status, then progress, epoch "
                    + "and status events until the final status")
    @ReadEndpoint
    @GetMapping(path = "/jobs/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events(@PathVariable String id) {
        jobs.get(id); // 404 before the stream starts
        SseEmitter emitter = new SseEmitter(eventStreamMillis);
        AtomicLong sequence = new AtomicLong();
        AtomicLong lastSent = new AtomicLong(System.nanoTime());
        Runnable[] unsubscribe = new Runnable[1];
        unsubscribe[0] = jobs.subscribe(id, event -> {
            send(emitter, sequence.incrementAndGet(), event);
            lastSent.set(System.nanoTime());
        });
        Runnable unwatch = idleStreams.watch(emitter, lastSent, eventsIdleTimeout);
        Runnable cleanup = () -> {
            unwatch.run();
            if (unsubscribe[0] != null) {
                unsubscribe[0].run();
            }
        };
        emitter.onCompletion(cleanup);
        emitter.onTimeout(cleanup);
        emitter.onError(e -> cleanup.run());
        return emitter;
    }

    private static void send(SseEmitter emitter, long id, JobEvent event) {
        try {
            emitter.send(SseEmitter.event()
                    .id(Long.toString(id))
                    .name(event.type())
                    .data(event.data(), MediaType.APPLICATION_JSON));
            if (event.type().equals("status")
                    && JobStatus.valueOf((String) event.data().get("status")).isFinal()) {
                emitter.complete();
            }
        } catch (IOException | IllegalStateException e) {
            // The client went away; the listener is dropped by the caller.
            throw new IllegalStateException("event stream closed", e);
        }
    }

    @Operation(
            operationId = "jobChart",
            summary = "The job's loss curves as SVG: training loss by iteration, and "
                    + "the training and validation loss per epoch")
    @ReadEndpoint
    @GetMapping(path = "/jobs/{id}/chart", produces = "image/svg+xml")
    ResponseEntity<String> chart(@PathVariable String id) {
        TrainingJob job = jobs.get(id);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("image/svg+xml"))
                .cacheControl(CacheControl.noStore())
                .body(LossChart.svg(job));
    }

    @Operation(
            operationId = "jobSamples",
            summary = "A generator job's fixed grid of 64 samples after an epoch, as PNG; 404 before that epoch ends")
    @ReadEndpoint
    @GetMapping(path = "/jobs/{id}/samples/{epoch}", produces = MediaType.IMAGE_PNG_VALUE)
    ResponseEntity<byte[]> samples(@PathVariable String id, @PathVariable int epoch) {
        return ResponseEntity.ok()
                .contentType(MediaType.IMAGE_PNG)
                .cacheControl(CacheControl.noStore())
                .body(jobs.samples(id, epoch));
    }
}

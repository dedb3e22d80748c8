package io.github.dl4jserving.web;

import io.github.dl4jserving.platform.ChangesState;
import io.github.dl4jserving.platform.ReadEndpoint;
import io.github.dl4jserving.platform.TrainerOwned;
import io.github.dl4jserving.training.JobStatus;
import io.github.dl4jserving.training.TrainingJob;
import io.github.dl4jserving.training.TrainingJobs;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Optimizer comparisons: one job per optimizer on the same model, data and seed, as a table and a chart. */
@RestController
@Tag(name = "Training")
@TrainerOwned
class ComparisonsController {
    private final TrainingJobs jobs;

    ComparisonsController(TrainingJobs jobs) {
        this.jobs = jobs;
    }

    /**
     * An optimizer comparison: the same model, data and seed once per optimizer.
     *
     * @param epochs shorthand for hyperparameters.epochs
     */
    record CompareRequest(
            String model,
            String dataset,
            List<String> optimizers,
            Integer epochs,
            Map<String, Object> hyperparameters) {}

    /** One optimizer's outcome in a comparison. */
    record ComparisonRow(
            String optimizer,
            String job,
            JobStatus status,
            Double finalTrainingLoss,
            Double validationLoss,
            Double validationAccuracy,
            Map<String, Double> metrics,
            Double wallSeconds) {}

    /** A comparison as a table, one row per optimizer, and where its overlaid loss chart is. */
    record ComparisonTable(String id, String model, String dataset, String chart, List<ComparisonRow> rows) {}

    @Operation(
            operationId = "compareOptimizers",
            summary =
                    "Train the same model on the same data with the same "
                            + "seed once per optimizer (no versions written); 202 with the comparison table, filled in as the jobs run")
    @ChangesState
    @PostMapping(path = "/jobs/compare", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ComparisonTable> compare(@RequestBody CompareRequest request) {
        Map<String, Object> hyper =
                new LinkedHashMap<>(request.hyperparameters() == null ? Map.of() : request.hyperparameters());
        if (request.epochs() != null) {
            hyper.put("epochs", request.epochs());
        }
        TrainingJobs.Comparison c = jobs.compare(request.model(), request.dataset(), request.optimizers(), hyper);
        return ResponseEntity.accepted()
                .location(URI.create("/jobs/compare/" + c.id()))
                .body(table(c));
    }

    @Operation(
            operationId = "getComparison",
            summary = "An optimizer comparison: final training loss, validation "
                    + "loss and accuracy, test metrics and wall time per optimizer")
    @ReadEndpoint
    @GetMapping("/jobs/compare/{id}")
    ComparisonTable comparison(@PathVariable String id) {
        return table(jobs.comparison(id));
    }

    @Operation(operationId = "comparisonChart", summary = "The compared jobs' training loss curves overlaid, as SVG")
    @ReadEndpoint
    @GetMapping(path = "/jobs/compare/{id}/chart", produces = "image/svg+xml")
    ResponseEntity<String> comparisonChart(@PathVariable String id) {
        TrainingJobs.Comparison c = jobs.comparison(id);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("image/svg+xml"))
                .cacheControl(CacheControl.noStore())
                .body(LossChart.overlay(c.model() + " on " + c.dataset() + ": training loss by optimizer", c.jobs()));
    }

    private static ComparisonTable table(TrainingJobs.Comparison c) {
        List<ComparisonRow> rows = c.jobs().stream()
                .map(j -> {
                    TrainingJob.EpochStats last = j.history().isEmpty()
                            ? null
                            : j.history().get(j.history().size() - 1);
                    return new ComparisonRow(
                            String.valueOf(j.hyperparameters().get("optimizer")),
                            j.id(),
                            j.status(),
                            last == null ? null : last.trainingLoss(),
                            last == null ? null : last.validation().get("loss"),
                            last == null ? null : last.validation().get("accuracy"),
                            j.metrics(),
                            j.durationSeconds());
                })
                .toList();
        return new ComparisonTable(c.id(), c.model(), c.dataset(), "/jobs/compare/" + c.id() + "/chart", rows);
    }
}

package io.github.dl4jserving.inference.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The inference meters, all histograms so percentiles can be computed across instances, and all
 * tagged only by model, version and outcome (and the requests timer by protocol, {@code http} or {@code grpc}):
 * {@code dl4j.inference.requests} (whole call, decoding included), {@code dl4j.inference.queue}
 * (waiting in the batch queue), {@code dl4j.inference.forward} (the forward pass),
 * {@code dl4j.inference.batch.size} and the {@code dl4j.inference.queue.depth} gauge.
 */
public class InferenceMetrics {
    private final MeterRegistry meters;
    /** The request timer of each model, version and outcome seen, so a request does not build one. */
    private final Map<RequestKey, Timer> requestTimers = new ConcurrentHashMap<>();

    public InferenceMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    public void request(String model, String version, String outcome, String protocol, long nanos) {
        requestTimers
                .computeIfAbsent(
                        new RequestKey(model, version, outcome, protocol),
                        k -> Timer.builder("dl4j.inference.requests")
                                .description("Inference calls from decoding to answer")
                                .tags("model", model, "version", version, "outcome", outcome, "protocol", protocol)
                                .publishPercentileHistogram()
                                .register(meters))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    Timer queue(String model, String version) {
        return histogramTimer(
                "dl4j.inference.queue",
                "Time a request waited in its model's queue before its forward pass",
                model,
                version);
    }

    Timer forward(String model, String version) {
        return histogramTimer("dl4j.inference.forward", "Time in the network's forward pass", model, version);
    }

    private Timer histogramTimer(String name, String description, String model, String version) {
        return Timer.builder(name)
                .description(description)
                .tags("model", model, "version", version)
                .publishPercentileHistogram()
                .register(meters);
    }

    DistributionSummary batchSize(String model, String version) {
        return DistributionSummary.builder("dl4j.inference.batch.size")
                .description("Inputs per forward pass")
                .tags("model", model, "version", version)
                .publishPercentileHistogram()
                .minimumExpectedValue(1.0)
                .maximumExpectedValue(1024.0)
                .register(meters);
    }

    /** The queue is held weakly: a retired version's queue can be collected even before {@link #retire}. */
    <T> void queueDepth(String model, String version, T queue, ToDoubleFunction<T> waiting) {
        Gauge.builder("dl4j.inference.queue.depth", queue, waiting)
                .description("Requests waiting in the model version's queue")
                .tags("model", model, "version", version)
                .register(meters);
    }

    /** Removes a version's queue depth, whose queue is gone: the next queue of the version registers its own. */
    void dropQueueDepth(String model, String version) {
        Gauge gauge = meters.find("dl4j.inference.queue.depth")
                .tags("model", model, "version", version)
                .gauge();
        if (gauge != null) {
            meters.remove(gauge);
        }
    }

    /**
     * Removes every meter of a deleted version (its timers, batch sizes, queue depth and rejection
     * counts), so its time series leave {@code /actuator/prometheus} and nothing keeps it on the heap.
     */
    void retire(String model, String version) {
        requestTimers
                .keySet()
                .removeIf(k -> k.model().equals(model) && k.version().equals(version));
        for (Meter meter : List.copyOf(meters.getMeters())) {
            if (model.equals(meter.getId().getTag("model"))
                    && version.equals(meter.getId().getTag("version"))) {
                meters.remove(meter);
            }
        }
    }

    /** Counts an answer refused because the version computed NaN or infinity. */
    void nonFiniteOutput(String model, String version) {
        Counter.builder("dl4j.inference.non.finite.outputs")
                .description("Requests refused because the model version's output was NaN or infinite")
                .tags("model", model, "version", version)
                .register(meters)
                .increment();
    }

    private record RequestKey(String model, String version, String outcome, String protocol) {}
}

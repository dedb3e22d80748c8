package io.github.dl4jserving.platform;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * Where one inference request's time went, as a JDK Flight Recorder event, so that the slowest
 * requests can be read stage by stage on the same timeline as the collector's pauses and
 * safepoints ({@code bench/tail.sh}). The event lasts from the first servlet filter to the end of
 * the filter chain; each stage is timed where it happens and added here through the request's
 * thread. Nothing is created unless a recording enables the event.
 *
 * <p>The stages: the body read, image decoding and preparation, the wait in the batch queue, the
 * batch's forward pass, the hand-back (from the end of the forward pass until the request's thread
 * has its rows again: the worker copying the rows out and waking the caller), and the write (from
 * then to the end of the chain: the answer's mapping, JSON and the response). What the event's
 * duration holds beyond them is the filters, Spring's dispatch and the multipart parse.
 */
@Name("dl4jserving.InferenceRequest")
@Label("Inference request")
@Category("dl4j-serving")
@StackTrace(false)
public final class RequestStages extends Event {
    private static final ThreadLocal<RequestStages> CURRENT = new ThreadLocal<>();
    private static final EventType TYPE = EventType.getEventType(RequestStages.class);

    @Label("Path")
    String path;

    @Label("Status")
    int status;

    @Label("Body read")
    @Timespan
    long read;

    @Label("Decode")
    @Description("Images decoded and prepared, on the request's thread")
    @Timespan
    long decode;

    @Label("Queue wait")
    @Timespan
    long queue;

    @Label("Forward pass")
    @Description("The forward pass of the batch the request ran in")
    @Timespan
    long forward;

    @Label("Batch rows")
    @Description("The rows of the batch the request ran in, its own included")
    long batchRows;

    @Label("Hand-back")
    @Description("From the end of the forward pass until the request's thread has its rows")
    @Timespan
    long handBack;

    @Label("Write")
    @Description("From the rows back on the request's thread to the end of the filter chain")
    @Timespan
    long write;

    /** When the request's thread had its rows back ({@link System#nanoTime}); 0 before. */
    private transient long answered;

    private RequestStages() {}

    /**
     * Starts the event of the request on this thread, or returns null when no recording wants it.
     */
    static RequestStages start(String path) {
        if (!TYPE.isEnabled()) {
            return null;
        }
        RequestStages stages = new RequestStages();
        stages.path = path;
        stages.begin();
        CURRENT.set(stages);
        return stages;
    }

    /** Ends the event with the answer's status and records it. */
    void finish(int status) {
        CURRENT.remove();
        end();
        this.status = status;
        if (answered != 0) {
            write = System.nanoTime() - answered;
        }
        commit();
    }

    /** The body of the current request took {@code nanos} to read. */
    static void read(long nanos) {
        RequestStages stages = CURRENT.get();
        if (stages != null) {
            stages.read += nanos;
        }
    }

    /** The current request's images took {@code nanos} to decode and prepare. */
    public static void decode(long nanos) {
        RequestStages stages = CURRENT.get();
        if (stages != null) {
            stages.decode += nanos;
        }
    }

    /**
     * The current request's rows joined the batch queue at {@code arrival}, their batch of {@code
     * rows} rows ran its forward pass from {@code start} to {@code end} ({@link System#nanoTime}), and
     * the request's thread has them back now.
     */
    public static void batch(long arrival, int rows, long start, long end) {
        RequestStages stages = CURRENT.get();
        if (stages != null) {
            long now = System.nanoTime();
            stages.queue += start - arrival;
            stages.forward += end - start;
            stages.batchRows = Math.max(stages.batchRows, rows);
            stages.handBack += now - end;
            stages.answered = now;
        }
    }
}

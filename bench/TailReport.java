import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads a recording made with bench/tail.jfc and prints where the slowest 1% of inference requests
 * spent their time, stage by stage beside the mean of all requests, with the safepoints (collector
 * pauses among them) that overlapped them and the CPU the JVM had.
 * Usage: java bench/TailReport.java recording.jfr [from to] (epoch milliseconds: only requests that
 * started in this window count)
 */
public class TailReport {
    static final String[] STAGES = {"read", "decode", "queue", "forward", "handBack", "write"};

    record Request(long start, long end, long[] stages, long batchRows) {
        long total() {
            return end - start;
        }

        long other() {
            return total() - Arrays.stream(stages).sum();
        }
    }

    record Pause(long start, long end, String what) {}

    public static void main(String[] args) throws Exception {
        long from = args.length > 2 ? Long.parseLong(args[1]) * 1_000_000 : Long.MIN_VALUE;
        long to = args.length > 2 ? Long.parseLong(args[2]) * 1_000_000 : Long.MAX_VALUE;
        List<Request> requests = new ArrayList<>();
        Map<Long, Long> safepointStarts = new HashMap<>();
        List<Pause> safepoints = new ArrayList<>();
        Map<String, long[]> operations = new TreeMap<>();
        List<double[]> cpu = new ArrayList<>();
        List<String> collections = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            switch (e.getEventType().getName()) {
                case "dl4jserving.InferenceRequest" -> {
                    long[] stages = new long[STAGES.length];
                    for (int i = 0; i < STAGES.length; i++) {
                        stages[i] = e.getDuration(STAGES[i]).toNanos();
                    }
                    long start = nanos(e.getStartTime());
                    if (start >= from && start < to) {
                        requests.add(new Request(start, nanos(e.getEndTime()), stages, e.getLong("batchRows")));
                    }
                }
                case "jdk.SafepointBegin" -> safepointStarts.put(e.getLong("safepointId"), nanos(e.getStartTime()));
                case "jdk.SafepointEnd" -> {
                    Long start = safepointStarts.remove(e.getLong("safepointId"));
                    if (start != null) {
                        safepoints.add(new Pause(start, nanos(e.getEndTime()), "safepoint"));
                    }
                }
                case "jdk.ExecuteVMOperation" -> {
                    long at = nanos(e.getStartTime());
                    if (e.getBoolean("safepoint") && at >= from && at < to) {
                        long[] sum = operations.computeIfAbsent(e.getString("operation"), k -> new long[3]);
                        sum[0]++;
                        sum[1] += e.getDuration().toNanos();
                        sum[2] = Math.max(sum[2], e.getDuration().toNanos());
                    }
                }
                case "jdk.GarbageCollection" -> {
                    long at = nanos(e.getStartTime());
                    if (at >= from && at < to) {
                        collections.add(e.getString("name"));
                    }
                }
                case "jdk.CPULoad" -> {
                    long at = nanos(e.getStartTime());
                    if (at >= from && at < to) {
                        cpu.add(new double[] {
                            e.getDouble("jvmUser") + e.getDouble("jvmSystem"), e.getDouble("machineTotal")
                        });
                    }
                }
                default -> {}
            }
        }
        if (requests.isEmpty()) {
            System.out.println("no dl4jserving.InferenceRequest events in " + args[0]);
            return;
        }
        requests.sort(Comparator.comparingLong(Request::total));
        long first = requests.stream().mapToLong(Request::start).min().orElseThrow();
        long last = requests.stream().mapToLong(Request::end).max().orElseThrow();
        double seconds = (last - first) / 1e9;
        long[] totals = requests.stream().mapToLong(Request::total).toArray();
        System.out.printf(
                "%d requests in %.1f s (%.0f/s), server side (first filter to end of chain), ms:%n"
                        + "  mean %.3f  p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f%n",
                requests.size(), seconds, requests.size() / seconds, mean(totals) / 1e6,
                pct(totals, 50) / 1e6, pct(totals, 90) / 1e6, pct(totals, 99) / 1e6,
                pct(totals, 99.9) / 1e6, totals[totals.length - 1] / 1e6);

        int tailSize = Math.max(1, requests.size() / 100);
        List<Request> tail = requests.subList(requests.size() - tailSize, requests.size());
        System.out.printf("%nstage (ms)     all: mean     p50   slowest 1%%: mean     p50     p90     max%n");
        for (int i = 0; i <= STAGES.length; i++) {
            int stage = i;
            java.util.function.ToLongFunction<Request> f =
                    stage < STAGES.length ? r -> r.stages()[stage] : Request::other;
            long[] all = requests.stream().mapToLong(f).sorted().toArray();
            long[] slow = tail.stream().mapToLong(f).sorted().toArray();
            System.out.printf("%-12s %12.3f %7.3f %18.3f %7.3f %7.3f %7.3f%n",
                    stage < STAGES.length ? STAGES[stage] : "other", mean(all) / 1e6, pct(all, 50) / 1e6,
                    mean(slow) / 1e6, pct(slow, 50) / 1e6, pct(slow, 90) / 1e6, slow[slow.length - 1] / 1e6);
        }
        long[] tailTotals = tail.stream().mapToLong(Request::total).sorted().toArray();
        System.out.printf("%-12s %12.3f %7.3f %18.3f %7.3f %7.3f %7.3f%n", "total", mean(totals) / 1e6,
                pct(totals, 50) / 1e6, mean(tailTotals) / 1e6, pct(tailTotals, 50) / 1e6,
                pct(tailTotals, 90) / 1e6, tailTotals[tailTotals.length - 1] / 1e6);

        System.out.printf("%-12s %12.1f %7d %18.1f %7d %7d %7d%n", "batch rows",
                requests.stream().mapToLong(Request::batchRows).average().orElse(0),
                pct(requests.stream().mapToLong(Request::batchRows).sorted().toArray(), 50),
                tail.stream().mapToLong(Request::batchRows).average().orElse(0),
                pct(tail.stream().mapToLong(Request::batchRows).sorted().toArray(), 50),
                pct(tail.stream().mapToLong(Request::batchRows).sorted().toArray(), 90),
                tail.stream().mapToLong(Request::batchRows).max().orElse(0));

        // Which stage was the largest in each slow request, as counts: the tail's histogram.
        Map<String, Integer> largest = new TreeMap<>();
        long overlapping = 0;
        long overlapNanos = 0;
        for (Request r : tail) {
            String name = "other";
            long most = r.other();
            for (int i = 0; i < STAGES.length; i++) {
                if (r.stages()[i] > most) {
                    most = r.stages()[i];
                    name = STAGES[i];
                }
            }
            largest.merge(name, 1, Integer::sum);
            long overlap = 0;
            for (Pause p : safepoints) {
                overlap += Math.max(0, Math.min(r.end(), p.end()) - Math.max(r.start(), p.start()));
            }
            if (overlap > 0) {
                overlapping++;
                overlapNanos += overlap;
            }
        }
        System.out.println("\nthe slowest 1% by largest stage: " + largest);
        System.out.printf("the slowest 1%% overlapping a safepoint: %d of %d, %.3f ms of safepoint each on average%n",
                overlapping, tail.size(), overlapping == 0 ? 0 : overlapNanos / 1e6 / overlapping);
        long inSafepoints = safepoints.stream()
                .filter(p -> p.end() > first && p.start() < last)
                .mapToLong(p -> p.end() - p.start())
                .sum();
        long count = safepoints.stream().filter(p -> p.end() > first && p.start() < last).count();
        System.out.printf("safepoints while requests ran: %d (%.1f/s), %.1f ms in all (%.2f%% of the time)%n",
                count, count / seconds, inSafepoints / 1e6, inSafepoints / 1e7 / seconds);
        operations.forEach((op, s) -> System.out.printf(
                "  %-28s %6d  mean %.3f ms  max %.3f ms%n", op, s[0], s[1] / 1e6 / s[0], s[2] / 1e6));
        Map<String, Integer> byName = new TreeMap<>();
        collections.forEach(n -> byName.merge(n, 1, Integer::sum));
        System.out.println("collections in the window: " + byName);
        if (!cpu.isEmpty()) {
            System.out.printf("CPU (of both cores, 1 s samples): the JVM %.0f%%, the machine %.0f%%%n",
                    100 * cpu.stream().mapToDouble(c -> c[0]).average().orElse(0),
                    100 * cpu.stream().mapToDouble(c -> c[1]).average().orElse(0));
        }
    }

    static long nanos(Instant t) {
        return Duration.between(Instant.EPOCH, t).toNanos();
    }

    static double mean(long[] v) {
        return Arrays.stream(v).average().orElse(0);
    }

    /** The p-th percentile of sorted values, nearest rank. */
    static long pct(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}

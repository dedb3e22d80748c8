import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop request mix over many models: {@code /predict?model=<prefix><rank>} requests sent at
 * {@code rate} per second whatever the answers do (a closed loop would stop sending to the hot
 * models while every client waits for a cold start, and so let them fall out of memory), each timed
 * from when it was due, the model drawn from a Zipf distribution of exponent {@code s} over
 * {@code models} ranks (rank 0 the most called), with a seeded generator so that two runs send the
 * same sequence. The first {@code warmup} seconds
 * are not counted. Prints the start of the counted window (UTC, as the service logs), every status,
 * the latency percentiles of all requests, of the hot/2, hot and 2 hot most called models and of the
 * rest, and
 * the cold starts and unloads the server counted in the window (its /actuator/prometheus).
 *
 * <p>JDK only: {@code java bench/ZipfMix.java URL PREFIX MODELS S SECONDS RATE HOT BODY-FILE WARMUP}.
 */
public final class ZipfMix {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        String prefix = args[1];
        int models = Integer.parseInt(args[2]);
        double s = Double.parseDouble(args[3]);
        int seconds = Integer.parseInt(args[4]);
        double rate = Double.parseDouble(args[5]);
        int hot = Integer.parseInt(args[6]);
        byte[] body = java.nio.file.Files.readAllBytes(java.nio.file.Path.of(args[7]));
        int warmup = args.length > 8 ? Integer.parseInt(args[8]) : 0;
        URI metrics = URI.create(url).resolve("/actuator/prometheus");
        double[] cdf = new double[models];
        double sum = 0;
        for (int r = 0; r < models; r++) {
            sum += 1 / Math.pow(r + 1, s);
            cdf[r] = sum;
        }
        for (int r = 0; r < models; r++) {
            cdf[r] /= sum;
        }
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        long counted = System.nanoTime() + warmup * 1_000_000_000L;
        long end = counted + seconds * 1_000_000_000L;
        // Enough threads that a due request never waits for one while the server is slow.
        ExecutorService pool = Executors.newFixedThreadPool(512);
        Random random = new Random(1000);
        List<Future<long[]>> results = new ArrayList<>();
        long first = System.nanoTime();
        java.time.Instant windowStart = null;
        double[] before = null;
        for (long i = 0; ; i++) {
            long due = first + (long) (i * 1e9 / rate);
            if (due >= end) {
                break;
            }
            int found = Arrays.binarySearch(cdf, random.nextDouble());
            int rank = found >= 0 ? found : Math.min(-found - 1, models - 1);
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create(url + "?model=" + prefix + String.format("%03d", rank)))
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(120))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            if (before == null && due >= counted) {
                windowStart = java.time.Instant.now();
                before = new double[] {
                    scrape(client, metrics, "dl4j_model_cold_starts_seconds_count"),
                    scrape(client, metrics, "dl4j_model_evictions_total")
                };
            }
            results.add(pool.submit(() -> {
                int status;
                try {
                    status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (java.io.IOException e) {
                    status = 0;
                }
                // Timed from when it was due, so a slow server does not hide the requests it held up.
                return new long[] {rank, status, System.nanoTime() - due, due};
            }));
        }
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> f : results) {
            long[] row = f.get();
            if (row[3] >= counted) {
                all.add(row);
            }
        }
        pool.shutdown();
        double cold = scrape(client, metrics, "dl4j_model_cold_starts_seconds_count") - before[0];
        double unloads = scrape(client, metrics, "dl4j_model_evictions_total") - before[1];
        System.out.println("counted from " + windowStart + " after " + warmup + " s of warm-up");
        TreeMap<Long, Integer> statuses = new TreeMap<>();
        all.forEach(r -> statuses.merge(r[1], 1, Integer::sum));
        System.out.printf(Locale.ROOT, "requests %d in %d s (%.0f/s), statuses %s%n",
                all.size(), seconds, all.size() / (double) seconds, statuses);
        print("all", all.stream().mapToLong(r -> r[2]).toArray());
        for (int tier : new int[] {hot / 2, hot, 2 * hot}) {
            print("ranks < " + tier, all.stream().filter(r -> r[0] < tier).mapToLong(r -> r[2]).toArray());
        }
        print("ranks >= " + 2 * hot, all.stream().filter(r -> r[0] >= 2 * hot).mapToLong(r -> r[2]).toArray());
        System.out.printf(Locale.ROOT, "cold starts %.0f (hit rate %.1f%%), unloads %.0f in the window%n",
                cold, 100 * (1 - cold / Math.max(1, all.size())), unloads);
    }

    /** The sum of a metric's series in the server's Prometheus scrape. */
    static double scrape(HttpClient client, URI metrics, String name) throws Exception {
        String text = client.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    static void print(String what, long[] nanos) {
        Arrays.sort(nanos);
        if (nanos.length == 0) {
            return;
        }
        System.out.printf(Locale.ROOT, "%-18s n=%7d  p50 %7.2f ms  p90 %7.2f ms  p99 %7.2f ms  max %8.2f ms%n",
                what, nanos.length, at(nanos, 0.50), at(nanos, 0.90), at(nanos, 0.99), nanos[nanos.length - 1] / 1e6);
    }

    static double at(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))] / 1e6;
    }
}

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An open-model load generator for POST /predict with one image: it sends at a fixed rate whatever
 * the answers do (as wrk2 does), measures each latency from the moment the request was due (so a
 * stalled server is not hidden by requests it kept from being sent), and prints, per window, the
 * count and latency percentiles of each status, the 503s that carried Retry-After, transport errors,
 * and the server's heap, JavaCPP off-heap and resident memory from its Actuator metrics.
 *
 * <p>JDK only; run with {@code java bench/LoadGen.java [options]} (bench/soak.sh does). Options:
 * {@code --url} (http://localhost:8080/predict), {@code --image} (bench/digit.png), {@code --rate}
 * requests/s, {@code --seconds}, {@code --connections} (keep-alive sockets; a due request waits for a
 * free one, and that wait counts in its latency), {@code --window} seconds per printed row, {@code --mix}
 * the requests sent in turn, a comma-separated cycle of {@code png} (the image, multipart, to the URL),
 * {@code row} (a breast-cancer row as JSON, to the URL) and {@code oip} (the same row as an Open
 * Inference Protocol FP32 tensor, to {@code /v2/models/breast-cancer-logreg/infer}); {@code png} by
 * default.
 */
public final class LoadGen {
    private static final Pattern VALUE = Pattern.compile("\"value\"\\s*:\\s*([0-9.eE+-]+)");

    /** What one worker saw; merged at the end and per window. */
    static final class Record {
        // {window, status (0 = transport error), latency from due ns, retryAfter, latency from sending ns}
        final List<long[]> rows = new ArrayList<>();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>(Map.of("--url", "http://localhost:8080/predict", "--image",
                "bench/digit.png", "--rate", "1000", "--seconds", "60", "--connections", "64", "--window", "10"));
        o.put("--mix", "png");
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!o.containsKey(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + o.keySet());
            }
            o.put(args[i], args[i + 1]);
        }
        URI url = URI.create(o.get("--url"));
        double rate = Double.parseDouble(o.get("--rate"));
        int seconds = Integer.parseInt(o.get("--seconds"));
        int connections = Integer.parseInt(o.get("--connections"));
        int window = Integer.parseInt(o.get("--window"));
        byte[] png = request(url, Files.readAllBytes(Path.of(o.get("--image"))));
        byte[][] request = Arrays.stream(o.get("--mix").split(","))
                .map(kind -> switch (kind.trim()) {
                    case "png" -> png;
                    case "row" -> json(url.getRawPath(), url, "{\"features\": [5, 1, 1, 1, 2, 1, 3, 1, 1]}");
                    case "oip" -> json("/v2/models/breast-cancer-logreg/infer", url, "{\"inputs\": [{\"name\": "
                            + "\"input\", \"shape\": [1, 9], \"datatype\": \"FP32\", \"data\": [5, 1, 1, 1, 2, 1, 3, 1, 1]}]}");
                    default -> throw new IllegalArgumentException("--mix takes png, row and oip, not " + kind);
                })
                .toArray(byte[][]::new);
        String base = url.getScheme() + "://" + url.getAuthority();

        long period = (long) (1e9 / rate);
        long start = System.nanoTime() + 200_000_000L;
        long end = start + seconds * 1_000_000_000L;
        long total = (long) (rate * seconds);
        AtomicLong ticket = new AtomicLong();
        List<Record> records = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Record record = new Record();
            records.add(record);
            Thread t = new Thread(() -> work(url, request, ticket, total, start, period, window, record), "load-" + c);
            t.setDaemon(true);
            workers.add(t);
        }
        System.out.printf(Locale.ROOT, "# %s at %.0f requests/s for %d s over %d connections (%d requests), mix %s%n",
                url, rate, seconds, connections, total, o.get("--mix"));
        System.out.printf(Locale.ROOT, "%6s %7s %7s %7s %6s %6s %8s %8s %8s %8s %8s %8s %9s %9s %9s%n", "t(s)",
                "sent/s", "200/s", "503/s", "other", "errors", "200 p50", "200 p99", "200 max", "503 p50", "503 p99",
                "503 max", "heap MB", "offheap MB", "RSS MB");
        workers.forEach(Thread::start);
        List<String[]> memory = new ArrayList<>();
        for (int w = 1; start + (long) w * window * 1_000_000_000L <= end + 1; w++) {
            LockSupport.parkNanos(start + (long) w * window * 1_000_000_000L - System.nanoTime());
            memory.add(new String[] {metric(base, "jvm.memory.used?tag=area:heap"), metric(base,
                    "dl4j.nd4j.offheap.used"), metric(base, "dl4j.nd4j.physical.used")});
        }
        for (Thread t : workers) {
            t.join(30_000);
        }
        List<long[]> rows = new ArrayList<>();
        for (Record r : records) {
            synchronized (r) {
                rows.addAll(r.rows);
            }
        }
        int windows = memory.size();
        for (int w = 0; w < windows; w++) {
            final int ww = w;
            print(String.format(Locale.ROOT, "%6d", (w + 1) * window), rows.stream().filter(r -> r[0] == ww).toList(),
                    window, memory.get(w));
        }
        String[] last = memory.isEmpty() ? new String[] {"", "", ""} : memory.get(memory.size() - 1);
        print(" total", rows, seconds, last);
        // The same requests timed from when they were written to the socket: the server's own share,
        // without the wait for a free connection when the generator falls behind.
        print("  sent", rows.stream().map(r -> new long[] {r[0], r[1], r[4], r[3], r[4]}).toList(), seconds, last);
        long retry = rows.stream().filter(r -> r[1] == 503 && r[3] == 1).count();
        long refused = rows.stream().filter(r -> r[1] == 503).count();
        System.out.printf(Locale.ROOT, "# sent %d of %d due; 503s with Retry-After: %d of %d%n", rows.size(), total,
                retry, refused);
    }

    private static void print(String label, List<long[]> rows, int seconds, String[] memory) {
        long[] ok = latencies(rows, 200);
        long[] busy = latencies(rows, 503);
        long other = rows.stream().filter(r -> r[1] != 200 && r[1] != 503 && r[1] != 0).count();
        long errors = rows.stream().filter(r -> r[1] == 0).count();
        System.out.printf(Locale.ROOT, "%6s %7.0f %7.0f %7.0f %6d %6d %8s %8s %8s %8s %8s %8s %9s %9s %9s%n", label,
                rows.size() / (double) seconds, ok.length / (double) seconds, busy.length / (double) seconds, other,
                errors, ms(ok, 0.50), ms(ok, 0.99), ms(ok, 1.0), ms(busy, 0.50), ms(busy, 0.99), ms(busy, 1.0),
                memory[0], memory[1], memory[2]);
    }

    private static long[] latencies(List<long[]> rows, int status) {
        long[] l = rows.stream().filter(r -> r[1] == status).mapToLong(r -> r[2]).toArray();
        Arrays.sort(l);
        return l;
    }

    private static String ms(long[] sorted, double q) {
        if (sorted.length == 0) {
            return "-";
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
        return String.format(Locale.ROOT, "%.1f", sorted[Math.max(0, i)] / 1e6);
    }

    private static String metric(String base, String name) {
        try (Socket s = new Socket()) {
            URI u = URI.create(base);
            s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 2000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(("GET /actuator/metrics/" + name + " HTTP/1.1\r\nHost: " + u.getAuthority()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String body = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = VALUE.matcher(body);
            return m.find() ? String.format(Locale.ROOT, "%.1f", Double.parseDouble(m.group(1)) / 1048576) : "?";
        } catch (IOException e) {
            return "?";
        }
    }

    private static byte[] json(String path, URI url, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("POST " + path + " HTTP/1.1\r\nHost: " + url.getAuthority() + "\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static byte[] request(URI url, byte[] image) {
        String boundary = "loadgen-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"digit.png\""
                + "\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(image);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("POST " + url.getRawPath() + " HTTP/1.1\r\nHost: " + url.getAuthority() + "\r\n"
                + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\nContent-Length: " + body.size()
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static void work(URI url, byte[][] requests, AtomicLong ticket, long total, long start, long period,
            int window, Record record) {
        Socket socket = null;
        for (long i = ticket.getAndIncrement(); i < total; i = ticket.getAndIncrement()) {
            long due = start + i * period;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int status = 0;
            boolean retryAfter = false;
            long sent = System.nanoTime();
            try {
                if (socket == null) {
                    socket = new Socket();
                    socket.setTcpNoDelay(true);
                    socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 5000);
                    socket.setSoTimeout(30_000);
                }
                OutputStream out = socket.getOutputStream();
                out.write(requests[(int) (i % requests.length)]);
                out.flush();
                Response r = Response.read(new BufferedInputStream(socket.getInputStream(), 8192));
                status = r.status;
                retryAfter = r.retryAfter;
                if (r.close) {
                    socket.close();
                    socket = null;
                }
            } catch (IOException e) {
                status = 0;
                try {
                    if (socket != null) {
                        socket.close();
                    }
                } catch (IOException ignored) {
                    // already broken
                }
                socket = null;
            }
            long now = System.nanoTime();
            synchronized (record) {
                record.rows.add(new long[] {(due - start) / (window * 1_000_000_000L), status, now - due,
                        retryAfter ? 1 : 0, now - sent});
            }
        }
    }

    /** The status line and the headers that matter of one HTTP/1.1 response, with its body skipped. */
    record Response(int status, boolean retryAfter, boolean close) {
        static Response read(InputStream in) throws IOException {
            // A fresh BufferedInputStream per response is safe: the server sends nothing unasked.
            String statusLine = line(in);
            if (statusLine == null) {
                throw new IOException("connection closed");
            }
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            long length = -1;
            boolean chunked = false;
            boolean retry = false;
            boolean close = false;
            for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(h.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("retry-after:")) {
                    retry = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true;
                }
            }
            if (chunked) {
                for (long size = Long.parseLong(line(in).split(";")[0].trim(), 16); size > 0;
                        size = Long.parseLong(line(in).split(";")[0].trim(), 16)) {
                    in.skipNBytes(size);
                    line(in);
                }
                line(in);
            } else if (length > 0) {
                in.skipNBytes(length);
            }
            if (in.available() > 0) {
                throw new IOException("unexpected bytes after the response");
            }
            return new Response(status, retry, close);
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c = in.read(); c != -1; c = in.read()) {
                if (c == '\n') {
                    int n = b.length();
                    return n > 0 && b.charAt(n - 1) == '\r' ? b.substring(0, n - 1) : b.toString();
                }
                b.append((char) c);
            }
            return b.length() == 0 ? null : b.toString();
        }
    }
}

package io.github.dl4jserving.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.dl4jserving.training.TrainingJob;

/**
 * A job's loss curves as a small self-contained SVG. The x axis is in epochs: iteration losses are
 * placed by the job's iterations per epoch, epoch means and validation losses at whole epochs.
 */
final class LossChart {
    private static final int W = 640;
    private static final int H = 360;
    private static final int LEFT = 60;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;

    private LossChart() {
    }

    static String svg(TrainingJob job) {
        double itersPerEpoch = job.progress() > 0 && job.iteration() > 0
                ? job.iteration() / (job.progress() * Math.max(1, job.epochs())) : 1;
        List<double[]> iterations = new ArrayList<>();
        for (double[] p : job.losses()) {
            iterations.add(new double[] {p[0] / itersPerEpoch, p[1]});
        }
        List<double[]> training = new ArrayList<>();
        List<double[]> validation = new ArrayList<>();
        for (TrainingJob.EpochStats e : job.history()) {
            training.add(new double[] {e.epoch(), e.trainingLoss()});
            Double v = e.validation().get("loss");
            if (v != null && Double.isFinite(v)) {
                validation.add(new double[] {e.epoch(), v});
            }
        }
        double maxX = Math.max(1, job.epochs());
        double maxY = 0;
        for (List<double[]> series : List.of(iterations, training, validation)) {
            for (double[] p : series) {
                if (Double.isFinite(p[1])) {
                    maxY = Math.max(maxY, p[1]);
                }
            }
        }
        maxY = maxY <= 0 ? 1 : maxY * 1.05;

        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\" role=\"img\">", W, H, W, H));
        s.append("<title>").append(escape("Loss of job " + job.id())).append("</title>");
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        s.append(text(LEFT, 22, escape(job.model() + " - " + job.status() + " - epoch " + job.epoch() + "/"
                + job.epochs()), "start", "14"));
        int plotW = W - LEFT - RIGHT;
        int plotH = H - TOP - BOTTOM;
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#888\"/>", LEFT, TOP, plotW, plotH));
        for (int i = 0; i <= 4; i++) {
            double y = maxY * i / 4;
            double py = TOP + plotH - plotH * i / 4.0;
            s.append(text(LEFT - 6, py + 4, format(y), "end", "11"));
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>",
                    LEFT, LEFT + plotW, py, py));
        }
        int ticks = (int) Math.min(10, maxX);
        for (int i = 0; i <= ticks; i++) {
            double x = maxX * i / ticks;
            s.append(text(LEFT + plotW * i / (double) ticks, TOP + plotH + 16, format(x), "middle", "11"));
        }
        s.append(text(LEFT + plotW / 2.0, H - 12, "epoch", "middle", "12"));
        s.append(polyline(iterations, maxX, maxY, plotW, plotH, "#9ecae1", 1));
        s.append(polyline(training, maxX, maxY, plotW, plotH, "#08519c", 2));
        s.append(polyline(validation, maxX, maxY, plotW, plotH, "#e6550d", 2));
        s.append(legend(LEFT + plotW - 210, TOP + 12, "#9ecae1", "training loss (iterations)"));
        s.append(legend(LEFT + plotW - 210, TOP + 28, "#08519c", "training loss (epoch mean)"));
        s.append(legend(LEFT + plotW - 210, TOP + 44, "#e6550d", "validation loss"));
        return s.append("</svg>").toString();
    }

    private static String polyline(List<double[]> points, double maxX, double maxY, int plotW, int plotH,
            String colour, int width) {
        if (points.isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder("<polyline fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"" + width
                + "\" points=\"");
        for (double[] p : points) {
            if (!Double.isFinite(p[1])) {
                continue;
            }
            s.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + plotW * Math.min(p[0], maxX) / maxX,
                    TOP + plotH - plotH * Math.min(p[1], maxY) / maxY));
        }
        return s.append("\"/>").toString();
    }

    private static String legend(double x, double y, String colour, String label) {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                + "stroke-width=\"3\"/>", x, x + 18, y - 4, y - 4, colour) + text(x + 24, y, label, "start", "11");
    }

    private static String text(double x, double y, String content, String anchor, String size) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%s\">%s</text>",
                x, y, anchor, size, content);
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e6 ? Long.toString((long) v)
                : String.format(Locale.ROOT, "%.3g", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}

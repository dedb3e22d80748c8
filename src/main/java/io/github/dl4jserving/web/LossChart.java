package io.github.dl4jserving.web;

import io.github.dl4jserving.training.TrainingJob;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Loss curves as a small self-contained SVG: one job's curves, or several jobs' overlaid. */
final class LossChart {
    private static final int W = 640;
    private static final int H = 360;
    private static final int LEFT = 60;
    private static final int RIGHT = 20;
    /** Room above the plot for the title; each row of legend adds {@link #LEGEND_ROW}. */
    private static final int TITLE = 36;

    private static final int LEGEND_ROW = 14;
    private static final int BOTTOM = 50;
    private static final String[] PALETTE = {
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"
    };

    /** One line: (x, y) points, a colour and a width. */
    record Series(String name, String colour, int width, List<double[]> points) {}

    private LossChart() {}

    /**
     * A job's training loss by iteration, and its training and validation loss per epoch; the x
     * axis is in epochs, iterations placed by the job's iterations per epoch.
     */
    static String svg(TrainingJob job) {
        double itersPerEpoch = iterationsPerEpoch(job);
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
        return svg(
                job.model() + " - " + job.status() + " - epoch " + job.epoch() + "/" + job.epochs(),
                "epoch",
                Math.max(1, job.epochs()),
                List.of(
                        new Series("training loss (iterations)", "#9ecae1", 1, iterations),
                        new Series("training loss (epoch mean)", "#08519c", 2, training),
                        new Series("validation loss", "#e6550d", 2, validation)));
    }

    /** The iteration losses of several jobs (an optimizer comparison) on one chart, x in epochs. */
    static String overlay(String title, List<TrainingJob> jobs) {
        List<Series> series = new ArrayList<>();
        double maxX = 1;
        for (int i = 0; i < jobs.size(); i++) {
            TrainingJob job = jobs.get(i);
            double itersPerEpoch = iterationsPerEpoch(job);
            List<double[]> points = new ArrayList<>();
            for (double[] p : job.losses()) {
                points.add(new double[] {p[0] / itersPerEpoch, p[1]});
            }
            maxX = Math.max(maxX, job.epochs());
            Object optimizer = job.hyperparameters().get("optimizer");
            series.add(new Series(String.valueOf(optimizer), PALETTE[i % PALETTE.length], 2, points));
        }
        return svg(title, "epoch", maxX, series);
    }

    private static double iterationsPerEpoch(TrainingJob job) {
        return job.progress() > 0 && job.iteration() > 0
                ? job.iteration() / (job.progress() * Math.max(1, job.epochs()))
                : 1;
    }

    static String svg(String title, String xLabel, double maxX, List<Series> series) {
        double maxY = 0;
        for (Series line : series) {
            for (double[] p : line.points()) {
                if (Double.isFinite(p[1])) {
                    maxY = Math.max(maxY, p[1]);
                }
            }
        }
        maxY = maxY <= 0 ? 1 : maxY * 1.05;
        int plotW = W - LEFT - RIGHT;
        int longest = series.stream().mapToInt(l -> l.name().length()).max().orElse(0);
        double entry = 30 + 6.2 * longest;
        int perRow = (int) Math.max(1, Math.floor(plotW / entry));
        int rows = (series.size() + perRow - 1) / perRow;
        int top = TITLE + LEGEND_ROW * rows;
        int plotH = H - top - BOTTOM;
        StringBuilder s = new StringBuilder();
        s.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                        + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\" role=\"img\">",
                W,
                H,
                W,
                H));
        s.append("<title>").append(escape(title)).append("</title>");
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        s.append(text(LEFT, 22, escape(title), "start", "14"));
        s.append(String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" " + "stroke=\"#888\"/>",
                LEFT,
                top,
                plotW,
                plotH));
        for (int i = 0; i <= 4; i++) {
            double py = top + plotH - plotH * i / 4.0;
            s.append(text(LEFT - 6, py + 4, format(maxY * i / 4), "end", "11"));
            s.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>",
                    LEFT,
                    LEFT + plotW,
                    py,
                    py));
        }
        int ticks = (int) Math.max(1, Math.min(10, maxX));
        for (int i = 0; i <= ticks; i++) {
            s.append(text(
                    LEFT + plotW * i / (double) ticks, top + plotH + 16, format(maxX * i / ticks), "middle", "11"));
        }
        s.append(text(LEFT + plotW / 2.0, H - 12, xLabel, "middle", "12"));
        for (Series line : series) {
            s.append(polyline(line, maxX, maxY, top, plotW, plotH));
        }
        // The legend sits in the margin above the plot, in rows of as many entries as fit, never over a line.
        for (int i = 0; i < series.size(); i++) {
            Series line = series.get(i);
            double x = LEFT + entry * (i % perRow);
            double y = TITLE + 10 + LEGEND_ROW * (i / perRow);
            s.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" " + "stroke-width=\"3\"/>",
                    x,
                    x + 18,
                    y - 4,
                    y - 4,
                    line.colour()));
            s.append(text(x + 24, y, escape(line.name()), "start", "11"));
        }
        return s.append("</svg>").toString();
    }

    private static String polyline(Series line, double maxX, double maxY, int top, int plotW, int plotH) {
        if (line.points().isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder("<polyline fill=\"none\" stroke=\"" + line.colour() + "\" stroke-width=\""
                + line.width() + "\" points=\"");
        StringBuilder markers = new StringBuilder();
        for (double[] p : line.points()) {
            if (Double.isFinite(p[1])) {
                double x = LEFT + plotW * Math.min(p[0], maxX) / maxX;
                double y = top + plotH - plotH * Math.min(p[1], maxY) / maxY;
                s.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                // Per-epoch points get a marker, so a one-epoch job still shows its values.
                if (line.width() > 1 && line.points().size() <= 50) {
                    markers.append(String.format(
                            Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>", x, y, line.colour()));
                }
            }
        }
        return s.append("\"/>").append(markers).toString();
    }

    private static String text(double x, double y, String content, String anchor, String size) {
        return String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%s\">%s</text>",
                x,
                y,
                anchor,
                size,
                content);
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e6 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3g", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}

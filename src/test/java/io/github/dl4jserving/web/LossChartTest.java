package io.github.dl4jserving.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LossChartTest {

    private static List<double[]> falling(int n) {
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i <= n; i++) {
            points.add(new double[] {i / (double) n, 2.0 - 1.9 * i / n});
        }
        return points;
    }

    @Test
    void theLegendSitsAboveThePlotWhereNoLineIsDrawn() {
        List<LossChart.Series> series = new ArrayList<>();
        for (String name : List.of(
                "training loss (iterations)",
                "training loss (epoch mean)",
                "validation loss",
                "adam",
                "sgd",
                "nesterovs",
                "rmsprop",
                "adagrad")) {
            series.add(new LossChart.Series(name, "#123456", 2, falling(50)));
        }

        String svg = LossChart.svg("a job", "epoch", 1, series);

        Matcher plot = Pattern.compile(
                        "<rect x=\"(\\d+)\" y=\"(\\d+)\" width=\"(\\d+)\" height=\"(\\d+)\" fill=\"none\"")
                .matcher(svg);
        assertThat(plot.find()).isTrue();
        int plotTop = Integer.parseInt(plot.group(2));
        int plotRight = Integer.parseInt(plot.group(1)) + Integer.parseInt(plot.group(3));
        Matcher legend = Pattern.compile("<line x1=\"([\\d.]+)\" x2=\"([\\d.]+)\" y1=\"([\\d.]+)\" y2=\"[\\d.]+\" "
                        + "stroke=\"[^\"]+\" stroke-width=\"3\"/><text x=\"([\\d.]+)\" y=\"([\\d.]+)\"")
                .matcher(svg);
        int entries = 0;
        while (legend.find()) {
            entries++;
            assertThat(Double.parseDouble(legend.group(3)))
                    .as("legend sample line")
                    .isLessThan(plotTop);
            assertThat(Double.parseDouble(legend.group(5)))
                    .as("legend text baseline")
                    .isLessThan(plotTop)
                    .isGreaterThan(24); // below the title
            assertThat(Double.parseDouble(legend.group(2))).isLessThanOrEqualTo(plotRight);
        }
        assertThat(entries).isEqualTo(series.size());
    }
}

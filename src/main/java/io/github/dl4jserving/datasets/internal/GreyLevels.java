package io.github.dl4jserving.datasets.internal;

/** Statistics of grey levels in [0, 1]: histograms, ranks and Otsu's threshold. */
final class GreyLevels {
    /** Bins of the histograms levels are read from. */
    static final int LEVELS = 1024;

    private GreyLevels() {}

    /** A 1024-bin histogram of the first {@code n} values, all in [0, 1]. */
    static int[] histogram(float[] values, int n) {
        int[] bins = new int[LEVELS];
        for (int i = 0; i < n; i++) {
            bins[Math.min(LEVELS - 1, Math.max(0, (int) (values[i] * LEVELS)))]++;
        }
        return bins;
    }

    /** The value of rank {@code rank} (0-based, ascending) to within a bin. */
    static float level(int[] histogram, int rank) {
        int seen = 0;
        for (int b = 0; b < LEVELS; b++) {
            seen += histogram[b];
            if (seen > rank) {
                return (b + 0.5f) / LEVELS;
            }
        }
        return 1f;
    }

    /** Otsu's threshold of the first {@code n} values, all in [0, 1], over 64 bins. */
    static float otsu(float[] values, int n) {
        int bins = 64;
        int[] hist = new int[bins];
        for (int i = 0; i < n; i++) {
            hist[Math.min(bins - 1, (int) (values[i] * bins))]++;
        }
        double total = n;
        double sumAll = 0;
        for (int i = 0; i < bins; i++) {
            sumAll += i * (double) hist[i];
        }
        double sumBack = 0;
        double weightBack = 0;
        double best = -1;
        int bestBin = bins / 2;
        for (int i = 0; i < bins; i++) {
            weightBack += hist[i];
            if (weightBack == 0) {
                continue;
            }
            double weightFore = total - weightBack;
            if (weightFore == 0) {
                break;
            }
            sumBack += i * (double) hist[i];
            double meanBack = sumBack / weightBack;
            double meanFore = (sumAll - sumBack) / weightFore;
            double between = weightBack * weightFore * (meanBack - meanFore) * (meanBack - meanFore);
            if (between > best) {
                best = between;
                bestBin = i;
            }
        }
        return (bestBin + 1) / (float) bins;
    }
}

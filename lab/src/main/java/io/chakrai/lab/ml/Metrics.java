package io.chakrai.lab.ml;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Binary classification figures from labels and predicted probabilities. */
public record Metrics(int n, long tp, long fp, long tn, long fn, double auc) {

    public static Metrics of(int[] y, double[] p, double threshold) {
        long tp = 0;
        long fp = 0;
        long tn = 0;
        long fn = 0;
        for (int i = 0; i < y.length; i++) {
            boolean predicted = p[i] >= threshold;
            if (y[i] == 1) {
                if (predicted) {
                    tp++;
                } else {
                    fn++;
                }
            } else if (predicted) {
                fp++;
            } else {
                tn++;
            }
        }
        return new Metrics(y.length, tp, fp, tn, fn, auc(y, p));
    }

    public double accuracy() {
        return (double) (tp + tn) / Math.max(1, n);
    }

    public double recall() {
        return tp + fn == 0 ? Double.NaN : (double) tp / (tp + fn);
    }

    public double specificity() {
        return tn + fp == 0 ? Double.NaN : (double) tn / (tn + fp);
    }

    public double precision() {
        return tp + fp == 0 ? 0 : (double) tp / (tp + fp);
    }

    public double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 || Double.isNaN(r) ? 0 : 2 * p * r / (p + r);
    }

    /** Mean of recall and specificity; with only one class present, the one that exists. */
    public double balancedAccuracy() {
        if (Double.isNaN(recall())) {
            return specificity();
        }
        if (Double.isNaN(specificity())) {
            return recall();
        }
        return (recall() + specificity()) / 2;
    }

    /** ROC AUC by the rank (Mann-Whitney) formula, ties counted half; NaN with one class only. */
    public static double auc(int[] y, double[] p) {
        Integer[] order =
                IntStream.range(0, y.length)
                        .boxed()
                        .sorted(Comparator.comparingDouble(i -> p[i]))
                        .toArray(Integer[]::new);
        double[] rank = new double[y.length];
        for (int i = 0; i < order.length; ) {
            int j = i;
            while (j + 1 < order.length && p[order[j + 1]] == p[order[i]]) {
                j++;
            }
            double r = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                rank[order[k]] = r;
            }
            i = j + 1;
        }
        long pos = Arrays.stream(y).filter(v -> v == 1).count();
        long neg = y.length - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            if (y[i] == 1) {
                sum += rank[i];
            }
        }
        return (sum - pos * (pos + 1) / 2.0) / (pos * (double) neg);
    }

    /** Points (false positive rate, true positive rate) of the ROC curve, for plotting. */
    public static double[][] roc(int[] y, double[] p) {
        Integer[] order =
                IntStream.range(0, y.length)
                        .boxed()
                        .sorted(Comparator.comparingDouble((Integer i) -> p[i]).reversed())
                        .toArray(Integer[]::new);
        long pos = Arrays.stream(y).filter(v -> v == 1).count();
        long neg = y.length - pos;
        double[][] pts = new double[order.length + 1][];
        pts[0] = new double[] {0, 0};
        long tp = 0;
        long fp = 0;
        for (int k = 0; k < order.length; k++) {
            if (y[order[k]] == 1) {
                tp++;
            } else {
                fp++;
            }
            pts[k + 1] =
                    new double[] {
                        neg == 0 ? 0 : (double) fp / neg, pos == 0 ? 0 : (double) tp / pos
                    };
        }
        return pts;
    }
}

package io.apexagent.host.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Prints benchmark samples as a small text table: the first (cold JVM) run, then median, min and max of the
 * measured runs. Not thread-safe.
 */
final class Figures<T> {

    private final List<T> all;
    private final int warmup;
    private final StringBuilder out = new StringBuilder();

    /**
     * @param all    every run in order, warm-up runs first
     * @param warmup how many leading runs are warm-up (not in median/min/max)
     */
    Figures(List<T> all, int warmup) {
        this.all = List.copyOf(all);
        this.warmup = warmup;
        out.append(String.format(Locale.ROOT, "| %-40s | %12s | %10s | %10s | %10s |%n", "metric",
                "1st (cold)", "median", "min", "max"));
        out.append(String.format(Locale.ROOT, "|%s|%s|%s|%s|%s|%n", "-".repeat(42), "-".repeat(14), "-".repeat(12),
                "-".repeat(12), "-".repeat(12)));
    }

    /** Adds one metric row. */
    Figures<T> row(String metric, String format, ToDoubleFunction<T> value) {
        List<Double> measured = new ArrayList<>();
        for (int i = warmup; i < all.size(); i++) {
            measured.add(value.applyAsDouble(all.get(i)));
        }
        measured.sort(null);
        double median = measured.isEmpty() ? Double.NaN : measured.size() % 2 == 1
                ? measured.get(measured.size() / 2)
                : (measured.get(measured.size() / 2 - 1) + measured.get(measured.size() / 2)) / 2;
        out.append(String.format(Locale.ROOT, "| %-40s | %12s | %10s | %10s | %10s |%n", metric,
                String.format(Locale.ROOT, format, value.applyAsDouble(all.get(0))),
                String.format(Locale.ROOT, format, median),
                String.format(Locale.ROOT, format, measured.isEmpty() ? Double.NaN : measured.get(0)),
                String.format(Locale.ROOT, format, measured.isEmpty() ? Double.NaN : measured.get(measured.size() - 1))));
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }
}

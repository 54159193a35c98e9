package io.apexagent.host.testing;

import java.util.Arrays;
import java.util.OptionalDouble;

/** Reads samples out of the text of a {@code /q/metrics} scrape (Prometheus exposition format). */
public final class PrometheusScrape {

    private PrometheusScrape() {
    }

    /**
     * @param labels each as it appears between the braces, e.g. {@code outcome="final"}
     * @return the sum of the samples of metric {@code name} whose labels include every one of {@code labels}, or empty
     *         if the scrape has none
     */
    public static OptionalDouble sum(String scrape, String name, String... labels) {
        double[] values = scrape.lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> Arrays.stream(labels).allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .toArray();
        return values.length == 0 ? OptionalDouble.empty() : OptionalDouble.of(Arrays.stream(values).sum());
    }
}

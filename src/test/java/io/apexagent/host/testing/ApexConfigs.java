package io.apexagent.host.testing;

import java.util.Map;

import io.apexagent.host.config.ApexConfig;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** {@link ApexConfig} outside Quarkus (unit tests, benchmarks): the declared defaults plus the given keys, durations as Quarkus reads them ("10ms", "1m"). */
public final class ApexConfigs {

    private ApexConfigs() {
    }

    /** @param values e.g. {@code apex.plugins.limits.default-cpu-ms=100} */
    public static ApexConfig of(Map<String, String> values) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(ApexConfig.class)
                .withConverter(java.time.Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withDefaultValues(values)
                .build();
        return config.getConfigMapping(ApexConfig.class);
    }
}

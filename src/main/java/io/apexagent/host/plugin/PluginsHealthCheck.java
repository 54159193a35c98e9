package io.apexagent.host.plugin;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness data about plugins: how many are in each state and which failed. A failed plugin does not
 * make the replica unready (the others still serve); it is reported here for operators.
 */
@Readiness
@ApplicationScoped
public class PluginsHealthCheck implements HealthCheck {

    private final PluginManager plugins;

    PluginsHealthCheck(PluginManager plugins) {
        this.plugins = plugins;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("Plugins").up();
        var all = plugins.list();
        builder.withData("plugins", all.size());
        all.stream().collect(java.util.stream.Collectors.groupingBy(s -> s.state().name(),
                java.util.TreeMap::new, java.util.stream.Collectors.counting()))
                .forEach((state, n) -> builder.withData(state.toLowerCase(java.util.Locale.ROOT), n));
        String failed = all.stream().filter(s -> s.state() == io.apexagent.host.plugin.lifecycle.PluginState.FAILED)
                .map(PluginSnapshot::id).sorted().collect(java.util.stream.Collectors.joining(","));
        if (!failed.isEmpty()) {
            builder.withData("failed", failed);
        }
        return builder.build();
    }
}

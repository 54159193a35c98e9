package io.apexagent.host.plugin;

import java.util.Locale;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.apexagent.host.plugin.lifecycle.PluginState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * {@code apex.plugins}: how many plugins this replica has in each lifecycle state, tagged {@code state} (lower
 * case, every state present from the start at 0), read from the plugin manager at each scrape. A plugin that
 * stays {@code failed} is the signal to alert on: its actions are refused on this replica until it recovers or an
 * operator reloads it. Thread-safe.
 */
@ApplicationScoped
public class PluginMetrics {

    public static final String PLUGINS = "apex.plugins";

    /** After the plugin manager's start (priority 50), so that the first scrape counts the loaded plugins. */
    void register(@Observes @Priority(60) StartupEvent event, PluginManager plugins, MeterRegistry registry) {
        for (PluginState state : PluginState.values()) {
            Gauge.builder(PLUGINS, () -> plugins.list().stream().filter(plugin -> plugin.state() == state).count())
                    .description("plugins of this replica in the state")
                    .tag("state", state.name().toLowerCase(Locale.ROOT))
                    .strongReference(true)
                    .register(registry);
        }
    }
}

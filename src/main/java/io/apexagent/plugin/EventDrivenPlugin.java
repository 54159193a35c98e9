package io.apexagent.plugin;

import java.util.Set;

import io.smallrye.mutiny.Uni;

/**
 * A plugin that reacts to events published by other plugins (on any replica) or by the host.
 * Delivery is at most once per subscriber per replica.
 */
public interface EventDrivenPlugin extends BasePlugin {

    /** @return the event types this plugin wants, e.g. {@code "weather.updated"}; {@code "*"} for all */
    Set<String> subscriptions();

    /**
     * Handles one event. Runs on the plugin's workers; failures are reported as plugin errors.
     *
     * @param event the event
     * @return completion of the handling
     */
    Uni<Void> onEvent(PluginEvent event);
}

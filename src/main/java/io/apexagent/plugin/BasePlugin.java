package io.apexagent.plugin;

import java.util.List;
import java.util.Map;

import io.smallrye.mutiny.Uni;

/**
 * What every plugin is: it is initialized with its context, describes itself and its actions, runs
 * actions asynchronously and shuts down. The host calls these methods on the plugin's own worker
 * threads (never on an event loop), so blocking inside them is allowed but costs the plugin's own
 * concurrency. Calls for different requests may run concurrently: implementations must be thread-safe.
 */
public interface BasePlugin {

    /**
     * Called once after loading, before any action. Failing here (a failed {@code Uni} or an exception)
     * puts the plugin in state Failed; throw {@link PluginTransientException} to ask for a retry.
     *
     * @param context the plugin's gateway to host services
     * @return completion of the initialization
     */
    Uni<Void> initialize(PluginContext context);

    /** @return id, name, version and description of this plugin (normally those of its manifest) */
    PluginMetadata getMetadata();

    /** @return the actions this plugin serves; must match the manifest's {@code actions} */
    List<ActionDescriptor> getActions();

    /**
     * Runs a non-streaming action.
     *
     * @param action the action name
     * @param params parameters, already validated against the action's {@code parameters_schema}
     * @return the result: a JSON-compatible value (Map, List, String, Number, Boolean or null)
     * @throws PluginActionNotFoundException for an action this plugin does not have
     */
    Uni<Object> executeAction(String action, Map<String, Object> params);

    /**
     * Called once before unloading: release everything the plugin holds (threads, files, connections).
     *
     * @return completion of the shutdown
     */
    Uni<Void> shutdown();
}

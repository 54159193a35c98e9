package io.apexagent.plugin;

import java.util.Map;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/** Calls to other plugins' actions (plugin_invoke), limited to the plugins declared as dependencies. */
public interface PluginInvoker {

    /** Runs a non-streaming action of another plugin. */
    Uni<Object> invoke(String pluginId, String action, Map<String, Object> params);

    /** Runs a streaming action of another plugin. */
    Multi<ActionChunk> stream(String pluginId, String action, Map<String, Object> params);
}

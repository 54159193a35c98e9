package io.apexagent.host.plugin.loader;

import java.util.List;

import io.apexagent.plugin.PluginInitializationException;

/** A source plugin that does not compile; carries each compiler error as {@code <file>:<line>:<column>: <message>}. */
public class PluginCompilationException extends PluginInitializationException {

    private final List<String> diagnostics;

    public PluginCompilationException(String pluginId, String message, List<String> diagnostics) {
        super(pluginId, message, null);
        this.diagnostics = List.copyOf(diagnostics);
    }

    /** @return the compiler errors, one per line, file paths relative to the plugin folder */
    public List<String> diagnostics() {
        return diagnostics;
    }
}

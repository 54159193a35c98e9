package io.apexagent.plugin;

/** Logging for plugin code; the host adds the plugin id, version and node to every record. */
public interface PluginLogger {

    void debug(String message);

    void info(String message);

    void warn(String message);

    void error(String message, Throwable cause);
}

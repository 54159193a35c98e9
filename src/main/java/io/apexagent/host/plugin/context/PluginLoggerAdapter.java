package io.apexagent.host.plugin.context;

import org.jboss.logging.Logger;

import io.apexagent.plugin.PluginLogger;

/** Routes a plugin's log records to the host log, under category {@code plugin.<id>}, prefixed with id and version. */
final class PluginLoggerAdapter implements PluginLogger {

    private final Logger log;
    private final String prefix;

    PluginLoggerAdapter(String pluginId, String version) {
        this.log = Logger.getLogger("plugin." + pluginId);
        this.prefix = "[" + pluginId + "@" + version + "] ";
    }

    @Override
    public void debug(String message) {
        log.debug(prefix + message);
    }

    @Override
    public void info(String message) {
        log.info(prefix + message);
    }

    @Override
    public void warn(String message) {
        log.warn(prefix + message);
    }

    @Override
    public void error(String message, Throwable cause) {
        log.error(prefix + message, cause);
    }
}

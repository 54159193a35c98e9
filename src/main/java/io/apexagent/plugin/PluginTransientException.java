package io.apexagent.plugin;

/** A failure worth retrying (e.g. a remote service not reachable yet); the host retries with backoff. */
public class PluginTransientException extends PluginException {

    public PluginTransientException(String message) {
        super(message);
    }

    public PluginTransientException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String errorType() {
        return "transient";
    }
}

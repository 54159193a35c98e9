package io.apexagent.plugin;

/**
 * Root of every plugin error, in plugins and in the host. Messages say what was wrong, where, and how
 * to fix it; the host maps each subclass to one HTTP status and one error type on Kafka.
 */
public class PluginException extends RuntimeException {

    private final String pluginId;

    public PluginException(String message) {
        this(null, message, null);
    }

    public PluginException(String message, Throwable cause) {
        this(null, message, cause);
    }

    public PluginException(String pluginId, String message, Throwable cause) {
        super(message, cause);
        this.pluginId = pluginId;
    }

    /** @return the plugin concerned, or null when not known */
    public String pluginId() {
        return pluginId;
    }

    /** @return a short, stable type name for error records, e.g. {@code "action_not_found"} */
    public String errorType() {
        return "plugin_error";
    }

    /** @return the {@link #errorType()} of a plugin error, {@code "internal"} for any other failure */
    public static String errorTypeOf(Throwable failure) {
        return failure instanceof PluginException e ? e.errorType() : "internal";
    }
}

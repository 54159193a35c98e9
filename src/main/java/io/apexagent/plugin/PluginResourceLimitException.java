package io.apexagent.plugin;

/**
 * Thrown when an action used more of a budgeted resource (CPU time, allocated memory) than its limit allows.
 * The host fails the call as soon as its watchdog sees the breach and interrupts the plugin's worker.
 */
public class PluginResourceLimitException extends PluginExecutionException {

    private final String budget;
    private final long limit;
    private final long measured;

    /**
     * @param pluginId the plugin whose call was stopped
     * @param budget   which budget, e.g. {@code limits.cpu_ms}
     * @param limit    the limit, in the budget's unit
     * @param measured what the call had used when it was stopped, same unit
     * @param message  the whole message, naming the action, budget, limit and measured value
     */
    public PluginResourceLimitException(String pluginId, String budget, long limit, long measured, String message) {
        super(pluginId, message, null);
        this.budget = budget;
        this.limit = limit;
        this.measured = measured;
    }

    /** @return the budget that was exceeded, e.g. {@code limits.cpu_ms} */
    public String budget() {
        return budget;
    }

    /** @return the limit, in the budget's unit */
    public long limit() {
        return limit;
    }

    /** @return what the call had used when it was stopped, in the budget's unit */
    public long measured() {
        return measured;
    }

    @Override
    public String errorType() {
        return "resource_limit";
    }
}

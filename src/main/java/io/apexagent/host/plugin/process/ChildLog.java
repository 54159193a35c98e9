package io.apexagent.host.plugin.process;

import org.jboss.logging.Logger;

/**
 * Forwards what a child writes on stderr (its log) to the host log, tagged with the plugin id. A line that
 * starts with a level word ({@code DEBUG}, {@code INFO}, {@code WARNING}/{@code WARN}, {@code ERROR}) is
 * logged at that level; any other line at INFO.
 */
final class ChildLog {

    private static final Logger LOG = Logger.getLogger("io.apexagent.plugin.process");

    private ChildLog() {
    }

    static void forward(String pluginId, String line) {
        int space = line.indexOf(' ');
        String word = space > 0 ? line.substring(0, space) : "";
        Logger.Level level = switch (word) {
            case "DEBUG" -> Logger.Level.DEBUG;
            case "WARN", "WARNING" -> Logger.Level.WARN;
            case "ERROR", "CRITICAL" -> Logger.Level.ERROR;
            default -> Logger.Level.INFO;
        };
        String text = level == Logger.Level.INFO && !"INFO".equals(word) ? line : line.substring(space + 1);
        LOG.logf(level, "plugin %s: %s", pluginId, text);
    }
}

package io.apexagent.host.plugin;

import java.util.List;

import io.apexagent.plugin.PluginException;

/** Action parameters (or an action's result) that do not match the action's JSON Schema. */
public class InvalidActionParametersException extends PluginException {

    private final List<String> problems;

    public InvalidActionParametersException(String pluginId, String message, List<String> problems) {
        super(pluginId, message + ": " + String.join("; ", problems), null);
        this.problems = List.copyOf(problems);
    }

    /** @return each problem as {@code <JSON pointer>: <message>} */
    public List<String> problems() {
        return problems;
    }

    @Override
    public String errorType() {
        return "invalid_parameters";
    }
}

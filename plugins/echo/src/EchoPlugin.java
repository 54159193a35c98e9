package io.apexagent.plugins.echo;

import java.util.Map;

import io.apexagent.plugin.AbstractPlugin;
import io.apexagent.plugin.PluginActionNotFoundException;
import io.smallrye.mutiny.Uni;

/** Answers with what it was given. */
public class EchoPlugin extends AbstractPlugin {

    @Override
    public Uni<Object> executeAction(String action, Map<String, Object> params) {
        String text = (String) params.get("text");
        return switch (action) {
            case "echo" -> Uni.createFrom().item(Map.of("text", text, "length", text.length()));
            case "reverse" -> Uni.createFrom().item(Map.of("text", new StringBuilder(text).reverse().toString()));
            default -> Uni.createFrom().failure(new PluginActionNotFoundException("echo has no action " + action));
        };
    }
}

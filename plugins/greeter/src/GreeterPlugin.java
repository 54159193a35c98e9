package io.apexagent.plugins.greeter;

import java.util.Map;

import io.apexagent.plugin.AbstractPlugin;
import io.smallrye.mutiny.Uni;

/** Greets through another plugin: shows plugin_invoke and a dependency by range. */
public class GreeterPlugin extends AbstractPlugin {

    @Override
    @SuppressWarnings("unchecked")
    public Uni<Object> executeAction(String action, Map<String, Object> params) {
        String greeting = "Hello, " + params.get("name") + "!";
        return context().plugins().invoke("echo", "echo", Map.of("text", greeting))
                .map(echoed -> Map.of("greeting", ((Map<String, Object>) echoed).get("text")));
    }
}

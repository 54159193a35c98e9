package test.echo;

import java.util.Map;

import io.apexagent.plugin.AbstractPlugin;
import io.apexagent.plugin.PluginActionNotFoundException;
import io.smallrye.mutiny.Uni;

/** Test plugin: "echo" answers "echo: <text>"; "context-loader" tells whether the context loader is its own. */
public class EchoPlugin extends AbstractPlugin {

    @Override
    public Uni<Object> executeAction(String action, Map<String, Object> params) {
        switch (action) {
            case "echo":
                return Uni.createFrom().item(() -> Texts.echo(params.get("text")));
            case "context-loader":
                // Lazy on purpose: the supplier runs at subscription, which the host must also wrap.
                return Uni.createFrom().item(
                        () -> Thread.currentThread().getContextClassLoader() == EchoPlugin.class.getClassLoader());
            default:
                return Uni.createFrom().failure(new PluginActionNotFoundException("no action " + action));
        }
    }
}

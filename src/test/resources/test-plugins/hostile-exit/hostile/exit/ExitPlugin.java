package hostile.exit;

import java.util.Map;

import io.apexagent.plugin.AbstractPlugin;
import io.smallrye.mutiny.Uni;

/** Hostile test plugin: stops the host JVM. Must be refused at load. */
public class ExitPlugin extends AbstractPlugin {

    @Override
    public Uni<Object> executeAction(String action, Map<String, Object> params) {
        try {
            System.exit(0);
        } catch (Exception e) {
            return Uni.createFrom().failure(e);
        }
        return Uni.createFrom().item(Map.of());
    }
}

package hostile.threads;

import java.util.Map;

import io.apexagent.plugin.AbstractPlugin;
import io.smallrye.mutiny.Uni;

/** Hostile test plugin: spawns its own threads. Must be refused at load. */
public class ThreadsPlugin extends AbstractPlugin {

    @Override
    public Uni<Object> executeAction(String action, Map<String, Object> params) {
        try {
            new Thread(() -> { }).start();
            java.util.concurrent.Executors.newCachedThreadPool();
        } catch (Exception e) {
            return Uni.createFrom().failure(e);
        }
        return Uni.createFrom().item(Map.of());
    }
}

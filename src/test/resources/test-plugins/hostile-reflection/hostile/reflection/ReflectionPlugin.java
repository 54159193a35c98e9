package hostile.reflection;

import java.util.Map;

import io.apexagent.plugin.AbstractPlugin;
import io.smallrye.mutiny.Uni;

/** Hostile test plugin: reaches into host internals by reflection. Must be refused at load. */
public class ReflectionPlugin extends AbstractPlugin {

    @Override
    public Uni<Object> executeAction(String action, Map<String, Object> params) {
        try {
            Class<?> manager = Class.forName("io.apexagent.host.plugin.PluginManager");
            java.lang.reflect.Field registry = manager.getDeclaredField("registry");
            registry.setAccessible(true);
        } catch (Exception e) {
            return Uni.createFrom().failure(e);
        }
        return Uni.createFrom().item(Map.of());
    }
}

package hostile.nativecode;

import java.util.Map;

import io.apexagent.plugin.AbstractPlugin;
import io.smallrye.mutiny.Uni;

/** Hostile test plugin: loads native code. Must be refused at load. */
public class NativePlugin extends AbstractPlugin {

    @Override
    public Uni<Object> executeAction(String action, Map<String, Object> params) {
        try {
            System.loadLibrary("owned");
            poke();
        } catch (Exception e) {
            return Uni.createFrom().failure(e);
        }
        return Uni.createFrom().item(Map.of());
    }

    private static native void poke();
}

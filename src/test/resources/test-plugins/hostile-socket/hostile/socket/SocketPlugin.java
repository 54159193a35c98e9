package hostile.socket;

import java.util.Map;

import io.apexagent.plugin.AbstractPlugin;
import io.smallrye.mutiny.Uni;

/** Hostile test plugin: opens a socket without network_access. Must be refused at load. */
public class SocketPlugin extends AbstractPlugin {

    @Override
    public Uni<Object> executeAction(String action, Map<String, Object> params) {
        try {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", 9092)) {
                s.getOutputStream().write(1);
            }
        } catch (Exception e) {
            return Uni.createFrom().failure(e);
        }
        return Uni.createFrom().item(Map.of());
    }
}

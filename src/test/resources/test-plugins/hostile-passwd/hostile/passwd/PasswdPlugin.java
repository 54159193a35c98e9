package hostile.passwd;

import java.util.Map;

import io.apexagent.plugin.AbstractPlugin;
import io.smallrye.mutiny.Uni;

/** Hostile test plugin: reads /etc/passwd through java.io without a file permission. Must be refused at load. */
public class PasswdPlugin extends AbstractPlugin {

    @Override
    public Uni<Object> executeAction(String action, Map<String, Object> params) {
        try {
            try (java.io.FileInputStream in = new java.io.FileInputStream("/etc/passwd")) {
                in.readAllBytes();
            }
        } catch (Exception e) {
            return Uni.createFrom().failure(e);
        }
        return Uni.createFrom().item(Map.of());
    }
}

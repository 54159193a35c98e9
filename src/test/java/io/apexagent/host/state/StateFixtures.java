package io.apexagent.host.state;

import static io.restassured.RestAssured.given;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

import io.apexagent.host.testing.TestInfrastructure;
import io.apexagent.host.testing.TestPluginDirectory;
import io.apexagent.host.testing.TestPlugins;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Stateful test plugins, raw {@code plugin_state} rows and REST shortcuts for the state tests. */
final class StateFixtures {

    static final Path DIR = TestPluginDirectory.path();

    private StateFixtures() {
    }

    /**
     * Writes a key-value stateful plugin: actions put (merges params), get, save (on demand); state layout
     * {"values": {...}}; each migration step adds {@code step_<from>_<to>} and fails on a {@code fail_at_<from>} key.
     */
    static void writeKvPlugin(String id, String version, int schemaVersion) {
        String pkg = "st." + id.replace('-', '_');
        TestPlugins.plugin(id).version(version).action("put").action("get").action("save")
                .permissions("state_access")
                .manifestField("state_schema_version", schemaVersion)
                .javaSource(pkg + ".KvPlugin", kvSource(pkg, schemaVersion))
                .writeTo(DIR);
    }

    private static String kvSource(String pkg, int schemaVersion) {
        return """
                package %s;
                import java.util.HashMap;
                import java.util.Map;
                import java.util.TreeMap;
                import java.util.concurrent.ConcurrentHashMap;
                import io.apexagent.plugin.AbstractPlugin;
                import io.apexagent.plugin.PluginActionNotFoundException;
                import io.apexagent.plugin.StatefulPlugin;
                import io.smallrye.mutiny.Uni;
                public class KvPlugin extends AbstractPlugin implements StatefulPlugin {
                    private final Map<String, Object> values = new ConcurrentHashMap<>();
                    @Override
                    public Uni<Object> executeAction(String action, Map<String, Object> params) {
                        switch (action) {
                            case "put": values.putAll(params); return Uni.createFrom().item(Map.of("size", values.size()));
                            case "get": return Uni.createFrom().item(Map.of("values", new TreeMap<>(values)));
                            case "save": return context().state().save().replaceWith(Map.of("saved", true));
                            default: return Uni.createFrom().failure(new PluginActionNotFoundException(action));
                        }
                    }
                    @Override
                    public Map<String, Object> snapshotState() {
                        return Map.of("values", new HashMap<>(values));
                    }
                    @Override
                    @SuppressWarnings("unchecked")
                    public void restoreState(Map<String, Object> state) {
                        values.clear();
                        values.putAll((Map<String, Object>) state.getOrDefault("values", Map.of()));
                    }
                    @Override
                    public int stateSchemaVersion() {
                        return %d;
                    }
                    @Override
                    @SuppressWarnings("unchecked")
                    public Map<String, Object> migrate(int from, Map<String, Object> data) {
                        Map<String, Object> next = new HashMap<>((Map<String, Object>) data.getOrDefault("values", Map.of()));
                        if (next.containsKey("fail_at_" + from)) {
                            throw new IllegalStateException("value fail_at_" + from + " cannot be migrated");
                        }
                        next.put("step_" + from + "_" + (from + 1), true);
                        return Map.of("values", next);
                    }
                }
                """.formatted(pkg, schemaVersion);
    }

    static Response call(String id, String action, Map<String, Object> params) {
        return given().contentType(ContentType.JSON).body(params).post("/plugins/" + id + "/actions/" + action);
    }

    static void rescan() {
        given().post("/plugins/rescan").then().statusCode(200);
    }

    /** @return the raw row (column → value), or an empty map */
    static Map<String, Object> rawRow(String pluginId) throws SQLException {
        try (Connection c = TestInfrastructure.get().dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("SELECT * FROM plugin_state WHERE plugin_id = ?")) {
            s.setString(1, pluginId);
            try (ResultSet rs = s.executeQuery()) {
                Map<String, Object> row = new LinkedHashMap<>();
                if (rs.next()) {
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
                    }
                }
                return row;
            }
        }
    }

    /** Writes a row as an earlier host version would have: encrypted JSON of the given schema version. */
    static void seed(StateCipher cipher, String pluginId, int schemaVersion, String json) throws SQLException {
        String ciphertext = cipher.encrypt(pluginId, json).await().indefinitely();
        try (Connection c = TestInfrastructure.get().dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("""
                        INSERT INTO plugin_state (plugin_id, schema_version, plugin_version, data, encrypted, size_bytes)
                        VALUES (?, ?, '0.9.0', ?, TRUE, ?)
                        ON CONFLICT (plugin_id) DO UPDATE SET schema_version = EXCLUDED.schema_version,
                            plugin_version = EXCLUDED.plugin_version, data = EXCLUDED.data,
                            size_bytes = EXCLUDED.size_bytes, previous_data = NULL, previous_schema_version = NULL,
                            version = plugin_state.version + 1, updated_at = now()
                        """)) {
            s.setString(1, pluginId);
            s.setInt(2, schemaVersion);
            s.setString(3, ciphertext);
            s.setInt(4, StateCodec.sizeOf(json));
            s.executeUpdate();
        }
    }
}

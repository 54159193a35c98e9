package io.apexagent.host.plugin.discovery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Writes plugin folders with a valid manifest (optionally edited) into a temporary directory. */
final class TestManifests {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private TestManifests() {
    }

    /** @return a valid manifest document for {@code id} at {@code version} */
    static ObjectNode valid(String id, String version) {
        ObjectNode manifest = MAPPER.createObjectNode();
        manifest.put("id", id);
        manifest.put("name", "Plugin " + id);
        manifest.put("version", version);
        manifest.put("description", "test plugin " + id);
        manifest.put("main_module", "plugin.jar");
        manifest.put("class_name", "com.example.Plugin");
        manifest.putArray("permissions").add("state_access");
        ObjectNode action = manifest.putArray("actions").addObject();
        action.put("name", "echo");
        action.putObject("parameters_schema").put("type", "object");
        return manifest;
    }

    /** Writes {@code dir/manifest.json} (edited by {@code edit}) and an empty {@code plugin.jar}. */
    static Path write(Path dir, String id, String version, Consumer<ObjectNode> edit) {
        ObjectNode manifest = valid(id, version);
        edit.accept(manifest);
        return writeRaw(dir, manifest.toPrettyString());
    }

    /** Writes {@code text} as {@code dir/manifest.json} beside an empty {@code plugin.jar}. */
    static Path writeRaw(Path dir, String text) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("manifest.json"), text);
            Files.write(dir.resolve("plugin.jar"), new byte[0]);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

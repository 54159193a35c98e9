package io.apexagent.host.plugin.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes out-of-process test plugins (Python modules, Java sources) with their manifests. */
final class ProcessPluginFolders {

    private ProcessPluginFolders() {
    }

    /** A Python plugin whose class {@code P} is {@code body}; actions {@code run} and {@code stream}. */
    static Path python(Path dir, String id, String body) {
        return python(dir, id, body, "");
    }

    /** As {@link #python(Path, String, String)}, with more manifest fields ({@code , "limits": …}). */
    static Path python(Path dir, String id, String body, String manifestFields) {
        return write(dir, id, "main.py", "P", "from apexagent_plugin import ActionError, Plugin, action\n"
                + "import os, signal, sys, time\n\n" + "class P(Plugin):\n" + body
                + "\n    @action(\"stream\", streaming=True)\n    def stream(self, params):\n        yield {\"n\": 0}\n", manifestFields);
    }

    /** A Java plugin {@code proc.<Class>} from {@code source}, run in a child JVM with {@code memory_mb}. */
    static Path java(Path dir, String id, String className, String source, int memoryMb) {
        return java(dir, id, className, source, memoryMb, "");
    }

    /**
     * As {@link #java(Path, String, String, String, int)}, with more manifest fields
     * ({@code , "permissions": …}).
     */
    static Path java(Path dir, String id, String className, String source, int memoryMb, String manifestFields) {
        return write(dir, id, "src/" + className + ".java", "proc." + className, source,
                ", \"limits\": { \"memory_mb\": " + memoryMb + " }" + manifestFields);
    }

    private static Path write(Path dir, String id, String module, String className, String code, String extra) {
        Path folder = dir.resolve(id);
        String action = "{ \"name\": \"%s\", \"description\": \"test\", \"parameters_schema\": { \"type\": \"object\" },"
                + " \"returns_schema\": {}, \"streaming_supported\": %s }";
        String manifest = "{ \"id\": \"" + id + "\", \"name\": \"" + id + "\", \"version\": \"1.0.0\","
                + " \"description\": \"out-of-process test plugin\", \"main_module\": \"" + module + "\","
                + " \"class_name\": \"" + className + "\", \"default_enabled\": true,"
                + " \"isolation\": \"process\"" + (extra.contains("\"permissions\"") ? "" : ", \"permissions\": []")
                + extra + ", \"actions\": [ " + String.format(action, "run", "false")
                + ", " + String.format(action, "stream", "true") + " ] }";
        try {
            Files.createDirectories(folder.resolve(module).getParent());
            Files.writeString(folder.resolve("manifest.json"), manifest);
            Files.writeString(folder.resolve(module), code);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write test plugin " + folder, e);
        }
        return folder;
    }

    /** @return how many live processes have this plugin folder on their command line */
    static long children(Path folder) {
        String marker = folder.toAbsolutePath().toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(marker))
                .count();
    }
}

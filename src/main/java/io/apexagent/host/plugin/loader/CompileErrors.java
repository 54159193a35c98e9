package io.apexagent.host.plugin.loader;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

import io.apexagent.host.plugin.discovery.PluginManifest;

/** Formats javac's errors as {@code <file>:<line>:<column>: <message>}, paths relative to the plugin. Stateless. */
final class CompileErrors {

    private CompileErrors() {
    }

    static PluginCompilationException failure(PluginManifest manifest,
            List<Diagnostic<? extends JavaFileObject>> diagnostics, String output, String hint) {
        List<String> errors = diagnostics.stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> format(manifest.directory(), d))
                .collect(Collectors.toList());
        if (errors.isEmpty()) {
            errors = List.of("javac: " + output.strip());
        }
        String message = "plugin " + manifest.id() + ": main_module " + manifest.mainModule() + " in "
                + manifest.directory() + " does not compile (" + errors.size() + " error"
                + (errors.size() == 1 ? "" : "s") + "); fix the sources and load it again. " + hint + "\n"
                + String.join("\n", errors);
        return new PluginCompilationException(manifest.id(), message, errors);
    }

    private static String format(Path pluginDir, Diagnostic<? extends JavaFileObject> d) {
        String text = d.getMessage(Locale.ROOT).lines().map(String::strip).collect(Collectors.joining("; "));
        if (d.getSource() == null) {
            return "javac: " + text;
        }
        Path dir = pluginDir.toAbsolutePath().normalize();
        Path file = Path.of(d.getSource().toUri());
        String where = file.startsWith(dir) ? dir.relativize(file).toString() : file.toString();
        return where + ":" + d.getLineNumber() + ":" + d.getColumnNumber() + ": " + text;
    }
}

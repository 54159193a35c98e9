package io.apexagent.host.plugin.loader;

import java.util.Optional;
import java.util.function.BiFunction;

import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.plugin.PluginException;

/**
 * Turns the JVM's linkage errors out of plugin code into plugin exceptions that say which class is
 * missing and why. Stateless and thread-safe.
 */
final class LinkageErrors {

    static final String ALLOWED = "plugins may use only io.apexagent.plugin.*, io.smallrye.mutiny.* and the JDK "
            + "(bundle other libraries in lib/)";

    private LinkageErrors() {
    }

    /**
     * @param failure    anything thrown by or around plugin code
     * @param manifest   the plugin concerned
     * @param hostLoader the host loader, to tell hidden host classes from classes that exist nowhere
     * @param type       builds the exception: (message, cause)
     * @return the translated exception, or empty when {@code failure} holds no linkage error
     */
    static Optional<PluginException> translate(Throwable failure, PluginManifest manifest, ClassLoader hostLoader,
            BiFunction<String, Throwable, PluginException> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NoClassDefFoundError) {
                return Optional.of(type.apply(missingClassMessage((NoClassDefFoundError) t, manifest, hostLoader),
                        failure));
            }
            if (t instanceof LinkageError) {
                return Optional.of(type.apply("plugin " + manifest.id() + " (" + manifest.directory()
                        + ") does not link against this host: " + t + "; rebuild it against the host's SDK", failure));
            }
        }
        return Optional.empty();
    }

    private static String missingClassMessage(NoClassDefFoundError error, PluginManifest manifest, ClassLoader hostLoader) {
        String missing = missingClassName(error);
        if (missing.startsWith("Could not initialize class ")) {
            return "plugin " + manifest.id() + ": " + missing + " (its static initializer failed earlier); "
                    + "fix the initializer and reload the plugin";
        }
        if (hostLoader.getResource(missing.replace('.', '/') + ".class") != null) {
            return "plugin " + manifest.id() + " references host class " + missing
                    + ", which plugins cannot see; " + ALLOWED;
        }
        return "plugin " + manifest.id() + " references class " + missing + ", which is neither in the plugin ("
                + manifest.directory() + ") nor in the SDK; " + ALLOWED;
    }

    private static String missingClassName(NoClassDefFoundError error) {
        if (error.getCause() instanceof ClassNotFoundException && error.getCause().getMessage() != null) {
            return error.getCause().getMessage();
        }
        String message = String.valueOf(error.getMessage());
        return message.startsWith("Could not initialize class ") ? message : message.replace('/', '.');
    }
}

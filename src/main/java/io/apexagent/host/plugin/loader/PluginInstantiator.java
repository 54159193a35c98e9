package io.apexagent.host.plugin.loader;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.function.Supplier;

import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.plugin.BasePlugin;
import io.apexagent.plugin.PluginInitializationException;

/**
 * Loads, links and instantiates a plugin's {@code class_name} inside its loader, translating each failure
 * into a {@link PluginInitializationException} that says what to fix. Stateless and thread-safe.
 */
final class PluginInstantiator {

    private PluginInstantiator() {
    }

    static BasePlugin instantiate(PluginManifest manifest, PluginClassLoader loader, ClassLoader hostLoader) {
        Class<?> type = loadAndLink(manifest, loader, hostLoader);
        Constructor<?> constructor = noArgConstructor(manifest, type);
        try {
            return (BasePlugin) constructor.newInstance();
        } catch (InvocationTargetException e) {
            throw linkageOr(manifest, hostLoader, e.getCause(), () -> "plugin " + manifest.id()
                    + ": the constructor of " + type.getName() + " threw " + e.getCause()
                    + "; constructors must not fail: move fallible work to initialize(PluginContext)");
        } catch (InstantiationException | IllegalAccessException e) {
            throw failure(manifest, "cannot instantiate " + type.getName() + " (" + e.getMessage()
                    + "); make it a public, non-abstract class with a public no-arg constructor", e);
        }
    }

    private static Class<?> loadAndLink(PluginManifest manifest, PluginClassLoader loader, ClassLoader hostLoader) {
        Class<?> type;
        try {
            type = Class.forName(manifest.className(), true, loader);
            if (type.getClassLoader() != loader) {
                throw failure(manifest, "class_name " + manifest.className() + " is a host or JDK class, not "
                        + "the plugin's own; set class_name to the plugin's class in " + manifest.manifestFile(), null);
            }
            // Resolve every type in signatures now, so that hidden host classes fail the load, not a call.
            for (Class<?> c = type; c != null && c.getClassLoader() == loader; c = c.getSuperclass()) {
                c.getDeclaredMethods();
                c.getDeclaredFields();
                c.getDeclaredConstructors();
            }
        } catch (ClassNotFoundException e) {
            throw failure(manifest, "class_name " + manifest.className() + " is not in the plugin's code ("
                    + manifest.mainModule() + " or lib/); check class_name in " + manifest.manifestFile()
                    + " and the class's package declaration", e);
        } catch (ExceptionInInitializerError e) {
            throw linkageOr(manifest, hostLoader, e.getCause(), () -> "plugin " + manifest.id()
                    + ": the static initializer of " + manifest.className() + " threw " + e.getCause()
                    + "; fix it, static initializers must not fail");
        } catch (LinkageError e) {
            throw linkageOr(manifest, hostLoader, e, e::toString);
        }
        if (!BasePlugin.class.isAssignableFrom(type)) {
            throw failure(manifest, "class_name " + type.getName() + " does not implement "
                    + BasePlugin.class.getName() + "; implement it (or extend io.apexagent.plugin.AbstractPlugin)",
                    null);
        }
        if (Modifier.isAbstract(type.getModifiers())) {
            throw failure(manifest, "class_name " + type.getName() + " is abstract or an interface; name the "
                    + "concrete plugin class", null);
        }
        return type;
    }

    private static Constructor<?> noArgConstructor(PluginManifest manifest, Class<?> type) {
        try {
            return type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw failure(manifest, type.getName() + " has no public no-arg constructor; add one (the host "
                    + "passes everything else through initialize(PluginContext))", e);
        }
    }

    private static PluginInitializationException linkageOr(PluginManifest manifest, ClassLoader hostLoader,
            Throwable cause, Supplier<String> otherwise) {
        return LinkageErrors.translate(cause, manifest, hostLoader,
                        (message, c) -> new PluginInitializationException(manifest.id(), message, c))
                .map(PluginInitializationException.class::cast)
                .orElseGet(() -> new PluginInitializationException(manifest.id(), otherwise.get(), cause));
    }

    private static PluginInitializationException failure(PluginManifest manifest, String what, Throwable cause) {
        return new PluginInitializationException(manifest.id(), "plugin " + manifest.id() + " ("
                + manifest.directory() + "): " + what, cause);
    }
}

package io.apexagent.host.plugin.loader;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The isolated class loader of one plugin: child-first over the plugin's jars and classes, with an
 * explicit allow-list of host packages (the SDK, Mutiny, {@code java.*}, {@code javax.*}) delegated to
 * the host loader. Every other host class is invisible: the parent is the platform class loader, so a
 * name outside the allow-list resolves in the plugin, then in the JDK, and nowhere else.
 *
 * <p>The JDK's own packages ({@code jdk.*}, {@code sun.*}, {@code com.sun.*}, {@code org.w3c.dom}, ...)
 * need no entry in the host allow-list: the platform parent already serves every module of the boot
 * layer. They are resolved parent-first, so a plugin jar that bundles, say, an old {@code xml-apis}
 * cannot shadow the JDK's copy and break loader constraints.
 *
 * <p>Thread-safe and parallel-capable (locks per class name, as {@link ClassLoader} documents).
 */
public final class PluginClassLoader extends URLClassLoader {

    /** Host packages a plugin sees, by name prefix. Everything else of the host is hidden. */
    public static final List<String> HOST_PACKAGES = List.of("io.apexagent.plugin.", "io.smallrye.mutiny.",
            "java.", "javax.");

    private static final List<String> HOST_RESOURCE_PREFIXES = HOST_PACKAGES.stream()
            .map(p -> p.replace('.', '/'))
            .collect(Collectors.toUnmodifiableList());

    private static final Set<String> JDK_PACKAGES = ModuleLayer.boot().modules().stream()
            .filter(m -> m.getClassLoader() == null || m.getClassLoader() == ClassLoader.getPlatformClassLoader())
            .flatMap(m -> m.getPackages().stream())
            .collect(Collectors.toUnmodifiableSet());

    static {
        ClassLoader.registerAsParallelCapable();
    }

    private final String pluginId;
    private final ClassLoader hostLoader;

    /**
     * @param pluginId   the plugin, for names and messages
     * @param urls       the plugin's main jar or compiled classes folder, then its {@code lib/*.jar}
     * @param hostLoader the loader that defines the SDK and Mutiny (normally the host's application loader)
     */
    public PluginClassLoader(String pluginId, URL[] urls, ClassLoader hostLoader) {
        super("plugin:" + pluginId, urls, ClassLoader.getPlatformClassLoader());
        this.pluginId = Objects.requireNonNull(pluginId, "pluginId");
        this.hostLoader = Objects.requireNonNull(hostLoader, "hostLoader");
    }

    /** @return the plugin this loader belongs to */
    public String pluginId() {
        return pluginId;
    }

    /** @return whether a class of this binary name comes from the host (SDK, Mutiny, java.*, javax.*) */
    public static boolean isHostVisible(String className) {
        for (String prefix : HOST_PACKAGES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                c = loadUnloaded(name);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    private Class<?> loadUnloaded(String name) throws ClassNotFoundException {
        if (isHostVisible(name)) {
            return hostLoader.loadClass(name);
        }
        if (isJdkClass(name)) {
            return getParent().loadClass(name);
        }
        try {
            return findClass(name);
        } catch (ClassNotFoundException notInPlugin) {
            // Not the plugin's: only the JDK is left. The host's other classes stay invisible.
            try {
                return getParent().loadClass(name);
            } catch (ClassNotFoundException notInJdk) {
                notInJdk.addSuppressed(notInPlugin);
                throw notInJdk;
            }
        }
    }

    private static boolean isJdkClass(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && JDK_PACKAGES.contains(name.substring(0, dot));
    }

    @Override
    public URL getResource(String name) {
        URL own = findResource(name);
        if (own != null) {
            return own;
        }
        return fallbackLoader(name).getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        List<URL> all = new ArrayList<>(Collections.list(findResources(name)));
        all.addAll(Collections.list(fallbackLoader(name).getResources(name)));
        return Collections.enumeration(all);
    }

    /** Host resources only under the allowed packages; otherwise the JDK's. */
    private ClassLoader fallbackLoader(String resourceName) {
        String path = resourceName.startsWith("/") ? resourceName.substring(1) : resourceName;
        for (String prefix : HOST_RESOURCE_PREFIXES) {
            if (path.startsWith(prefix)) {
                return hostLoader;
            }
        }
        return getParent();
    }

    @Override
    public String toString() {
        return "PluginClassLoader[" + pluginId + "]";
    }
}

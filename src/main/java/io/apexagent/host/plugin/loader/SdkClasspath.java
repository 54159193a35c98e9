package io.apexagent.host.plugin.loader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import io.apexagent.plugin.BasePlugin;
import io.apexagent.plugin.PluginInitializationException;
import io.smallrye.mutiny.Uni;

/**
 * The compile classpath of source plugins: the SDK ({@code io.apexagent.plugin}) and Mutiny classes,
 * copied once out of the host loader into {@code <cacheDir>/sdk-<digest>/}. In a packaged Quarkus app
 * the SDK shares one jar with the host, so the jar itself cannot be on the plugin's compile classpath.
 * Thread-safe: extraction is idempotent and lands with an atomic move.
 */
final class SdkClasspath {

    private static final Map<String, Class<?>> PACKAGES = Map.of(
            "io/apexagent/plugin/", BasePlugin.class,
            "io/smallrye/mutiny/", Uni.class);

    private SdkClasspath() {
    }

    /**
     * @param hostLoader the loader defining the SDK
     * @param cacheDir   where to put the extracted classes
     * @return the extracted classes folder and the digest of its content
     */
    static Extracted extract(ClassLoader hostLoader, Path cacheDir) {
        try {
            Map<String, byte[]> classes = new TreeMap<>();
            for (Map.Entry<String, Class<?>> p : PACKAGES.entrySet()) {
                readPackage(hostLoader, p.getKey(), p.getValue(), classes);
            }
            Digests.Builder digest = Digests.sha256();
            classes.forEach((name, bytes) -> digest.add(name).add(bytes));
            String hex = digest.hex();
            Path target = cacheDir.resolve("sdk-" + hex.substring(0, 24));
            if (!Files.isDirectory(target)) {
                write(classes, cacheDir, target);
            }
            return new Extracted(target, hex);
        } catch (IOException e) {
            throw new PluginInitializationException("cannot prepare the SDK compile classpath in " + cacheDir
                    + ": " + e.getMessage() + "; check that the plugin cache directory is writable", e);
        }
    }

    private static void readPackage(ClassLoader loader, String prefix, Class<?> anchor, Map<String, byte[]> out)
            throws IOException {
        String anchorPath = anchor.getName().replace('.', '/') + ".class";
        URL url = loader.getResource(anchorPath);
        if (url == null) {
            throw new IOException(anchorPath + " is not visible to " + loader);
        }
        try {
            if ("jar".equals(url.getProtocol())) {
                String spec = url.getPath();
                Path jar = Path.of(new URL(spec.substring(0, spec.indexOf("!/"))).toURI());
                readJar(jar, prefix, out);
            } else if ("file".equals(url.getProtocol())) {
                Path root = Path.of(url.toURI());
                for (int i = 0; i < anchorPath.split("/").length; i++) {
                    root = root.getParent();
                }
                readDirectory(root, prefix, out);
            } else {
                throw new IOException("the SDK is served from " + url + "; only jar: and file: locations are supported");
            }
        } catch (URISyntaxException e) {
            throw new IOException("cannot read the SDK location " + url, e);
        }
    }

    private static void readJar(Path jar, String prefix, Map<String, byte[]> out) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry e : (Iterable<JarEntry>) file.stream()::iterator) {
                if (!e.isDirectory() && e.getName().startsWith(prefix) && e.getName().endsWith(".class")) {
                    try (InputStream in = file.getInputStream(e)) {
                        out.put(e.getName(), in.readAllBytes());
                    }
                }
            }
        }
    }

    private static void readDirectory(Path root, String prefix, Map<String, byte[]> out) throws IOException {
        Path dir = root.resolve(prefix);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                out.put(root.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void write(Map<String, byte[]> classes, Path cacheDir, Path target) throws IOException {
        Files.createDirectories(cacheDir);
        Path tmp = Files.createTempDirectory(cacheDir, "sdk-tmp-");
        for (Map.Entry<String, byte[]> c : classes.entrySet()) {
            Path f = tmp.resolve(c.getKey());
            Files.createDirectories(f.getParent());
            Files.write(f, c.getValue());
        }
        CacheDirs.publish(tmp, target);
    }

    /**
     * @param classesDir the extracted classes
     * @param digest     SHA-256 (hex) of the SDK class files: the SDK version in compile cache keys
     */
    record Extracted(Path classesDir, String digest) {
    }
}

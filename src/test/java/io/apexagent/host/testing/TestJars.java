package io.apexagent.host.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiling test sources against the whole test class path and packaging jars, for test plugins and
 * test libraries. Deliberately unlike the host's compiler: a test can build a "hostile" plugin jar that
 * uses host classes (Jackson, Quarkus) which the host's loader must then refuse. Thread-safe.
 */
public final class TestJars {

    private TestJars() {
    }

    /**
     * Writes a jar with the given entries (in name order, so equal input gives equal bytes).
     *
     * @param jar     the file to write (parent folders are created)
     * @param entries entry name (e.g. {@code META-INF/maven/g/a/pom.properties}) → content
     * @return {@code jar}
     */
    public static Path writeJar(Path jar, Map<String, byte[]> entries) {
        try {
            Files.createDirectories(jar.toAbsolutePath().getParent());
            try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(out)) {
                for (Map.Entry<String, byte[]> e : new TreeMap<>(entries).entrySet()) {
                    JarEntry entry = new JarEntry(e.getKey());
                    entry.setTime(0L);
                    jos.putNextEntry(entry);
                    jos.write(e.getValue());
                    jos.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + jar, e);
        }
    }

    /**
     * Compiles Java sources against the test class path (plus {@code extraClasspath}).
     *
     * @param sources        fully qualified class name → source text
     * @param extraClasspath more jars, e.g. the plugin's lib/ jars
     * @return class file path ({@code a/b/C.class}) → bytes
     * @throws AssertionError listing the compiler errors
     */
    public static Map<String, byte[]> compile(Map<String, String> sources, List<Path> extraClasspath) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Path src = null;
        Path out = null;
        try {
            src = Files.createTempDirectory("test-plugin-src");
            out = Files.createTempDirectory("test-plugin-classes");
            List<Path> files = new ArrayList<>();
            for (Map.Entry<String, String> s : sources.entrySet()) {
                Path f = src.resolve(s.getKey().replace('.', '/') + ".java");
                Files.createDirectories(f.getParent());
                files.add(Files.writeString(f, s.getValue()));
            }
            String classpath = Stream.concat(Stream.of(testClasspath()), extraClasspath.stream().map(Path::toString))
                    .collect(Collectors.joining(java.io.File.pathSeparator));
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            StringWriter output = new StringWriter();
            try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                    StandardCharsets.UTF_8)) {
                boolean ok = javac.getTask(output, fm, diagnostics, List.of("--release", "17", "-proc:none",
                        "-classpath", classpath, "-d", out.toString()), null,
                        fm.getJavaFileObjectsFromPaths(files)).call();
                if (!ok) {
                    throw new AssertionError("test plugin sources do not compile:\n" + diagnostics.getDiagnostics()
                            .stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).map(Object::toString)
                            .collect(Collectors.joining("\n")) + output);
                }
            }
            return readTree(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compile test plugin sources", e);
        } finally {
            delete(src);
            delete(out);
        }
    }

    /** Surefire may hide the class path behind a manifest-only jar; javac follows its Class-Path anyway. */
    private static String testClasspath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    static Map<String, byte[]> readTree(Path root) throws IOException {
        Map<String, byte[]> entries = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path f : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                entries.put(root.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
            }
        }
        return entries;
    }

    static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}

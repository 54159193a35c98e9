package io.apexagent.host.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.apexagent.host.testing.TestJars;
import io.apexagent.plugin.Permission;
import io.apexagent.plugin.PluginSecurityException;

/** The rule scanner on classes compiled in the test: what it refuses, with what message, and what it leaves alone. */
class BytecodeScannerTest {

    @TempDir
    Path tmp;

    @Test
    void everyViolationIsListedWithClassMethodLineAndVerdict() {
        List<String> found = scan(Set.of(), "t.Bad", """
                package t;
                public class Bad {
                    void run() throws Exception {
                        Runtime.getRuntime().exec("id");
                        new java.net.Socket("example.org", 80);
                        System.exit(1);
                    }
                }
                """);
        assertThat(found).containsExactly(
                "t.Bad.run(line 4): uses java.lang.Runtime.exec which is never allowed",
                "t.Bad.run(line 5): uses java.net.Socket.<init> which needs network_access",
                "t.Bad.run(line 6): uses java.lang.System.exit which is never allowed");
    }

    @Test
    void eachForbiddenFamilyIsRefused() {
        Map<String, String> cases = Map.ofEntries(
                Map.entry("new ProcessBuilder(\"sh\").start();", "java.lang.ProcessBuilder.<init> which is never"),
                Map.entry("Runtime.getRuntime().halt(1);", "java.lang.Runtime.halt which is never"),
                Map.entry("System.loadLibrary(\"evil\");", "java.lang.System.loadLibrary which is never"),
                Map.entry("Runtime.getRuntime().load(\"/tmp/x.so\");", "java.lang.Runtime.load which is never"),
                Map.entry("Class.forName(\"io.apexagent.host.plugin.PluginManager\");",
                        "java.lang.Class.forName which is never"),
                Map.entry("String.class.getDeclaredField(\"value\").setAccessible(true);",
                        "java.lang.Class.getDeclaredField which is never"),
                Map.entry("java.lang.invoke.MethodHandles.lookup();",
                        "java.lang.invoke.MethodHandles.lookup which is never"),
                Map.entry("new Thread(() -> { }).start();", "java.lang.Thread.<init> which is never"),
                Map.entry("java.util.concurrent.Executors.newFixedThreadPool(2);",
                        "java.util.concurrent.Executors.newFixedThreadPool which is never"),
                Map.entry("java.util.concurrent.ForkJoinPool.commonPool();",
                        "java.util.concurrent.ForkJoinPool.commonPool which is never"),
                Map.entry("new java.util.concurrent.ScheduledThreadPoolExecutor(1);",
                        "(java.util.concurrent.ThreadPoolExecutor.<init>) which is never"),
                Map.entry("new java.net.URLClassLoader(new java.net.URL[0]);",
                        "(java.lang.ClassLoader.<init>) which is never"),
                Map.entry("System.setProperty(\"a\", \"b\");", "java.lang.System.setProperty which is never"),
                Map.entry("System.setOut(null);", "java.lang.System.setOut which is never"),
                Map.entry("java.security.Security.setProperty(\"a\", \"b\");",
                        "java.security.Security.setProperty which is never"),
                Map.entry("System.getenv(\"VAULT_TOKEN\");", "java.lang.System.getenv which is never"),
                Map.entry("new java.net.URL(\"http://x\").openStream();",
                        "java.net.URL.openStream which needs network_access"),
                Map.entry("java.net.http.HttpClient.newHttpClient();",
                        "java.net.http.HttpClient.newHttpClient which needs network_access"),
                Map.entry("new java.net.DatagramSocket();",
                        "java.net.DatagramSocket.<init> which needs network_access"),
                Map.entry("java.nio.channels.SocketChannel.open();",
                        "java.nio.channels.SocketChannel.open which needs network_access"),
                Map.entry("new java.io.FileInputStream(\"/etc/passwd\");",
                        "java.io.FileInputStream.<init> which needs file_system_read"),
                Map.entry("new java.io.RandomAccessFile(\"/x\", \"r\");",
                        "java.io.RandomAccessFile.<init> which needs file_system_write"),
                Map.entry("new java.io.PrintWriter(\"/tmp/x\");",
                        "java.io.PrintWriter.<init> which needs file_system_write"),
                Map.entry("java.nio.file.Files.writeString(java.nio.file.Path.of(\"/tmp/x\"), \"x\");",
                        "java.nio.file.Files.writeString which needs file_system_write"));
        cases.forEach((code, expected) -> assertThat(scan(Set.of(), "t.One", body("t", "One", code)))
                .as(code).anySatisfy(v -> assertThat(v).contains(expected)));
    }

    @Test
    void grantedPermissionsLetTheirApisThroughAndReadingIsNotWriting() {
        String source = body("t", "Files1", """
                java.nio.file.Files.readString(java.nio.file.Path.of("data.txt"));
                java.nio.file.Files.writeString(java.nio.file.Path.of("data.txt"), "x");
                new java.net.URL("http://x").openConnection();
                """);
        assertThat(scan(EnumSet.of(Permission.FILE_SYSTEM_READ), "t.Files1", source)).containsExactly(
                "t.Files1.run(line 5): uses java.nio.file.Files.writeString which needs file_system_write",
                "t.Files1.run(line 6): uses java.net.URL.openConnection which needs network_access");
        assertThat(scan(EnumSet.of(Permission.FILE_SYSTEM_READ, Permission.FILE_SYSTEM_WRITE,
                Permission.NETWORK_ACCESS), "t.Files1", source)).isEmpty();
        assertThat(scan(EnumSet.of(Permission.FILE_SYSTEM_READ, Permission.FILE_SYSTEM_WRITE,
                Permission.NETWORK_ACCESS), "t.Exec", body("t", "Exec", "Runtime.getRuntime().exec(\"id\");")))
                .as("no permission allows process execution").hasSize(1);
    }

    @Test
    void methodReferencesAndSubclassesCountAsUses() {
        assertThat(scan(Set.of(), "t.Ref", body("t", "Ref",
                "java.util.function.Function<String, Object> f = s -> null; "
                        + "java.util.concurrent.Callable<Object> c = Runtime.getRuntime()::availableProcessors; "
                        + "java.util.function.IntConsumer exit = System::exit;")))
                .containsExactly("t.Ref.run(line 4): uses java.lang.System.exit which is never allowed");
        assertThat(scan(Set.of(), "t.Loader", """
                package t;
                public class Loader extends ClassLoader {
                    Class<?> make(byte[] b) {
                        return defineClass("x.Y", b, 0, b.length);
                    }
                }
                """)).containsExactly(
                "t.Loader.<declaration>(line ?): extends java.lang.ClassLoader which is never allowed",
                "t.Loader.<init>(line 2): uses java.lang.ClassLoader.<init> which is never allowed",
                "t.Loader.make(line 4): uses t.Loader.defineClass (java.lang.ClassLoader.defineClass) "
                        + "which is never allowed");
        assertThat(scan(Set.of(), "t.Worker", """
                package t;
                public class Worker extends Thread {
                    void go() { start(); }
                }
                """)).contains("t.Worker.<declaration>(line ?): extends java.lang.Thread which is never allowed",
                "t.Worker.go(line 3): uses t.Worker.start (java.lang.Thread.start) which is never allowed");
        assertThat(scan(Set.of(), "t.Factory", """
                package t;
                public class Factory implements java.util.concurrent.ThreadFactory {
                    public Thread newThread(Runnable r) { return null; }
                }
                """)).containsExactly(
                "t.Factory.<declaration>(line ?): implements java.util.concurrent.ThreadFactory "
                        + "which is never allowed");
    }

    @Test
    void nativeMethodsAndJdkInternalsAreRefused() {
        assertThat(scan(Set.of(), "t.Native", """
                package t;
                public class Native {
                    native void poke();
                    Object unsafe() throws Exception { return sun.misc.Unsafe.class.getDeclaredField("theUnsafe"); }
                }
                """)).contains("t.Native.poke(line ?): declares native method t.Native.poke which is never allowed",
                "t.Native.unsafe(line 4): uses java.lang.Class.getDeclaredField which is never allowed");
    }

    @Test
    void ordinaryPluginCodeIsNotFlagged() {
        assertThat(scan(Set.of(), "t.Fine", """
                package t;
                import java.util.*;
                import io.smallrye.mutiny.Uni;
                import io.smallrye.mutiny.Multi;
                import io.smallrye.mutiny.infrastructure.Infrastructure;
                public class Fine {
                    enum Color { RED, GREEN }
                    record Point(int x, int y) { }
                    Object run(String name) throws Exception {
                        Color c = Color.valueOf(name);
                        String s = switch (c) { case RED -> "r" + name; case GREEN -> "g" + name.length(); };
                        Point p = new Point(1, 2);
                        List<Integer> xs = new ArrayList<>(List.of(3, 1, 2));
                        xs.sort(Comparator.naturalOrder());
                        xs.stream().map(i -> i * 2).forEach(i -> { });
                        Thread.sleep(1);
                        Thread.currentThread().getContextClassLoader();
                        getClass().getClassLoader().getResourceAsStream("prompt.txt");
                        getClass().getName();
                        Object[] arr = (Object[]) java.lang.reflect.Array.newInstance(String.class, 2);
                        System.out.println(p + s + arr.length + System.getProperty("line.separator"));
                        return Uni.createFrom().item(s).emitOn(Infrastructure.getDefaultExecutor())
                                .onItem().transformToMulti(x -> Multi.createFrom().items(x, x)).collect().asList()
                                .await().indefinitely();
                    }
                }
                """)).isEmpty();
    }

    @Test
    void narrowedHostsRefuseNetworkApisEvenWithNetworkAccessAndPointToContextHttp() {
        String source = """
                package t;
                public class Direct {
                    void run() throws Exception {
                        new java.net.URL("https://example.org/").openStream();
                        java.net.http.HttpClient.newHttpClient();
                    }
                }
                """;
        Map<String, byte[]> classes = TestJars.compile(Map.of("t.Direct", source), List.of());
        Path jar = TestJars.writeJar(tmp.resolve("direct.jar"), classes);

        assertThat(new BytecodeScanner(EnumSet.of(Permission.NETWORK_ACCESS), false).scan(List.of(jar))).isEmpty();
        assertThat(new BytecodeScanner(EnumSet.of(Permission.NETWORK_ACCESS), true).scan(List.of(jar))
                .stream().map(Violation::toString)).containsExactly(
                        "t.Direct.run(line 4): uses java.net.URL.openStream which cannot be held to the hosts the "
                                + "operator's policy allows (allowed-hosts): use context.http()",
                        "t.Direct.run(line 5): uses java.net.http.HttpClient.newHttpClient which cannot be held to "
                                + "the hosts the operator's policy allows (allowed-hosts): use context.http()");
        assertThat(new BytecodeScanner(Set.of(), true).scan(List.of(jar)).get(0).toString())
                .as("without the permission the verdict names it").endsWith("which needs network_access");
    }

    @Test
    void libJarsAreScannedToo() {
        Map<String, byte[]> lib = TestJars.compile(Map.of("lib.Helper", """
                package lib;
                public class Helper {
                    public static void quit() { System.exit(3); }
                }
                """), List.of());
        Path jar = TestJars.writeJar(tmp.resolve("lib/helper.jar"), lib);
        assertThat(new BytecodeScanner(Set.of()).scan(List.of(jar)).stream().map(Violation::toString))
                .containsExactly("lib.Helper.quit(line 3): uses java.lang.System.exit which is never allowed");
    }

    @Test
    void aClassFileTheScannerCannotReadIsRefused() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("classes/x"));
        Files.write(dir.resolve("Broken.class"), new byte[] {(byte) 0xCA, (byte) 0xFE, 0, 1, 2});
        assertThatThrownBy(() -> new BytecodeScanner(Set.of()).scan(List.of(tmp.resolve("classes"))))
                .isInstanceOf(PluginSecurityException.class)
                .hasMessageContaining("Broken.class is not a class file the verifier can read");
    }

    @Test
    void referencePluginsPassWithTheirDeclaredPermissions() throws IOException {
        // Python plugins have no bytecode: they run out of process, outside the scanner's reach.
        List<Path> javaPlugins;
        try (var dirs = Files.list(Path.of("plugins"))) {
            javaPlugins = dirs.filter(dir -> Files.isDirectory(dir.resolve("src"))).sorted().toList();
        }
        assertThat(javaPlugins).as("Java reference plugins").hasSizeGreaterThanOrEqualTo(3);
        for (Path dir : javaPlugins) {
            Map<String, String> sources = new java.util.TreeMap<>();
            try (var files = Files.list(dir.resolve("src"))) {
                for (Path f : files.toList()) {
                    sources.put(dir.getFileName() + "." + f.getFileName().toString().replace(".java", ""),
                            Files.readString(f));
                }
            }
            var manifest = io.apexagent.host.testing.TestManifests.toRecord(dir,
                    Files.readString(dir.resolve("manifest.json")));
            Path classes = TestJars.writeJar(tmp.resolve(dir.getFileName() + ".jar"),
                    TestJars.compile(sources, List.of()));
            assertThat(new BytecodeScanner(PluginGrants.of(manifest)).scan(List.of(classes))).as(dir.toString())
                    .isEmpty();
        }
    }

    private List<String> scan(Set<Permission> grant, String className, String source) {
        Map<String, byte[]> classes = TestJars.compile(Map.of(className, source), List.of());
        Path jar = TestJars.writeJar(tmp.resolve(className + System.nanoTime() + ".jar"), classes);
        return new BytecodeScanner(grant).scan(List.of(jar)).stream().map(Violation::toString).toList();
    }

    /** A class whose {@code run()} holds the code from line 3 on. */
    private static String body(String pkg, String name, String code) {
        return "package " + pkg + ";\npublic class " + name + " {\n    void run() throws Exception {\n" + code
                + "\n    }\n}\n";
    }
}

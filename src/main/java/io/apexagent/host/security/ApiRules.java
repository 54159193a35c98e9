package io.apexagent.host.security;

import static io.apexagent.plugin.Permission.FILE_SYSTEM_READ;
import static io.apexagent.plugin.Permission.FILE_SYSTEM_WRITE;
import static io.apexagent.plugin.Permission.NETWORK_ACCESS;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.apexagent.plugin.Permission;

/**
 * The bytecode rule table: JDK members a plugin's classes may not reference unless its grant covers
 * them, or never. Read top to bottom, the first matching rule wins (so the few {@code allow} lines
 * carve harmless members out of broader rules below them). A reference matches through the type's
 * ancestors too: {@code MyLoader.defineClass} is {@code ClassLoader.defineClass}, and constructing a
 * subclass of {@code Thread} constructs a {@code Thread}.
 *
 * <p>Deliberately not listed: lambdas and string concatenation ({@code LambdaMetafactory},
 * {@code StringConcatFactory}), records ({@code ObjectMethods}), {@code Enum.valueOf}, class literals,
 * {@code Class.getClassLoader}, {@code Thread.sleep/currentThread}, and Mutiny (shared from the host,
 * not scanned; a plugin may still use its default executor, e.g. {@code emitOn(Infrastructure.getDefaultExecutor())},
 * or the JDK's common pool through {@code CompletableFuture.*Async} and parallel streams: shared
 * workers, no new threads). Immutable.
 */
public final class ApiRules {

    /** What a {@code native} method declared by a plugin class is judged by: plugins load no native code. */
    public static final ApiRule NATIVE_METHOD = new ApiRule("<plugin class>", "<native method>",
            ApiRule.Access.NEVER, null, "native");

    /** The table, in matching order. */
    public static final List<ApiRule> RULES = table();

    private ApiRules() {
    }

    /** @return the first rule covering the reference, if any */
    public static Optional<ApiRule> firstMatch(String owner, String name, String desc) {
        for (ApiRule rule : RULES) {
            if (rule.matches(owner, name, desc)) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }

    private static List<ApiRule> table() {
        List<ApiRule> t = new ArrayList<>();
        // --- Carve-outs: harmless members of otherwise ruled types --------------------------------
        t.add(allow("java.lang.reflect.Array", "*"));                        // array creation only
        t.add(allow("java.lang.ClassLoader", "getResource*"));               // the plugin's own resources

        // --- Process execution ---------------------------------------------------------------------
        t.add(never("java.lang.ProcessBuilder*", "*", "process"));
        t.add(never("java.lang.Runtime", "exec", "process"));
        t.add(never("java.lang.ProcessHandle*", "*", "process"));              // signal other processes

        // --- Stopping the JVM ----------------------------------------------------------------------
        t.add(never("java.lang.System", "exit", "exit"));
        t.add(never("java.lang.Runtime", "exit", "exit"));
        t.add(never("java.lang.Runtime", "halt", "exit"));
        t.add(never("java.lang.Runtime", "addShutdownHook", "exit"));         // a thread run at exit
        t.add(never("java.lang.Runtime", "removeShutdownHook", "exit"));

        // --- Native code (native method declarations are refused by the scanner itself) -------------
        t.add(never("java.lang.System", "load*", "native"));
        t.add(never("java.lang.Runtime", "load*", "native"));

        // --- Process-wide settings -----------------------------------------------------------------
        for (String m : List.of("setProperty", "setProperties", "getProperties", "clearProperty",
                "setSecurityManager", "setOut", "setErr", "setIn", "getenv")) {
            t.add(never("java.lang.System", m, "settings"));                  // getenv: host secrets live there
        }
        t.add(never("java.security.Security", "set*", "settings"));
        t.add(never("java.security.Security", "*Provider*", "settings"));
        t.add(never("java.security.Policy", "setPolicy", "settings"));
        t.add(never("java.util.Locale", "setDefault", "settings"));
        t.add(never("java.util.TimeZone", "setDefault", "settings"));
        t.add(never("java.lang.Thread", "setDefaultUncaughtExceptionHandler", "settings"));
        t.add(never("java.net.URL", "setURLStreamHandlerFactory", "settings"));
        t.add(never("java.net.URLConnection", "setContentHandlerFactory", "settings"));
        t.add(never("java.net.URLConnection", "setFileNameMap", "settings"));
        t.add(never("java.net.Socket", "setSocketImplFactory", "settings"));
        t.add(never("java.net.ServerSocket", "setSocketFactory", "settings"));
        for (String type : List.of("java.net.Authenticator", "java.net.ProxySelector", "java.net.CookieHandler",
                "java.net.ResponseCache", "javax.net.ssl.SSLContext", "javax.net.ssl.HttpsURLConnection")) {
            t.add(never(type, "setDefault*", "settings"));
        }

        // --- Reflection and method handles ---------------------------------------------------------
        t.add(never("java.lang.reflect.*", "*", "reflection"));
        t.add(never("java.lang.invoke.MethodHandles*", "*", "reflection"));  // MethodHandles and its Lookup
        t.add(never("java.lang.invoke.MethodHandle", "*", "reflection"));
        t.add(never("java.lang.invoke.MethodHandleProxies", "*", "reflection"));
        t.add(never("java.lang.invoke.VarHandle", "*", "reflection"));
        for (String m : List.of("forName", "getDeclared*", "getMethod*", "getField*", "getConstructor*",
                "getEnclosingMethod", "getEnclosingConstructor", "getRecordComponents", "newInstance")) {
            t.add(never("java.lang.Class", m, "reflection"));
        }
        t.add(never("java.lang.Module", "add*", "reflection"));              // addOpens, addExports, ...
        t.add(never("java.lang.ModuleLayer*", "define*", "reflection"));
        t.add(never("java.beans.*", "*", "reflection"));                     // Introspector, Statement, Expression
        t.add(never("java.lang.instrument.*", "*", "reflection"));

        // --- JDK internals -------------------------------------------------------------------------
        t.add(never("sun.*", "*", "internal"));                              // sun.misc.Unsafe and friends
        t.add(never("jdk.internal.*", "*", "internal"));

        // --- Class loaders (construction covers every subclass through the ancestors) ---------------
        t.add(never("java.lang.ClassLoader", "*", "classloader"));
        t.add(never("java.lang.Thread", "setContextClassLoader", "classloader"));

        // --- Threads: plugins run on their host workers and use Mutiny -----------------------------
        t.add(never("java.lang.Thread", "<init>", "threads"));
        t.add(never("java.lang.Thread", "start*", "threads"));               // start, startVirtualThread
        t.add(never("java.lang.Thread", "of*", "threads"));                  // ofPlatform, ofVirtual (builders)
        t.add(never("java.lang.Thread$Builder*", "*", "threads"));
        t.add(never("java.lang.ThreadGroup", "*", "threads"));
        t.add(never("java.util.concurrent.Executors", "*", "threads"));
        t.add(never("java.util.concurrent.ThreadFactory", "*", "threads"));
        t.add(never("java.util.concurrent.ForkJoinPool", "*", "threads"));
        t.add(never("java.util.concurrent.ThreadPoolExecutor", "<init>", "threads"));
        t.add(never("java.util.Timer", "<init>", "threads"));

        // --- Network: network_access -----------------------------------------------------------------
        for (String type : List.of("java.net.Socket", "java.net.ServerSocket", "java.net.DatagramSocket",
                "java.net.MulticastSocket", "java.net.SocketImpl*", "java.net.DatagramSocketImpl*",
                "java.net.URLConnection", "java.net.HttpURLConnection", "java.net.JarURLConnection", "java.net.http.*",
                "java.nio.channels.SocketChannel", "java.nio.channels.ServerSocketChannel",
                "java.nio.channels.DatagramChannel",
                "java.nio.channels.AsynchronousSocketChannel", "java.nio.channels.AsynchronousServerSocketChannel",
                "java.nio.channels.spi.SelectorProvider", "javax.net.*", "javax.naming.*", "java.rmi.*",
                "com.sun.net.*")) {
            t.add(needs(type, "*", NETWORK_ACCESS, "network"));
        }
        for (String m : List.of("openConnection", "openStream", "getContent")) {
            t.add(needs("java.net.URL", m, NETWORK_ACCESS, "network"));
        }
        for (String m : List.of("getByName", "getAllByName", "getLocalHost", "isReachable", "getHostName",
                "getCanonicalHostName")) {
            t.add(needs("java.net.InetAddress", m, NETWORK_ACCESS, "network"));  // DNS is network
        }

        // --- Files: writing needs file_system_write, the rest file_system_read ----------------------
        for (String m : List.of("delete*", "mkdir*", "createNewFile", "createTempFile", "renameTo", "set*")) {
            t.add(needs("java.io.File", m, FILE_SYSTEM_WRITE, "files"));
        }
        t.add(needs("java.io.File", "*", FILE_SYSTEM_READ, "files"));
        for (String type : List.of("java.io.FileOutputStream", "java.io.FileWriter", "java.io.RandomAccessFile",
                "java.nio.file.spi.*", "java.util.prefs.*", "java.util.logging.FileHandler")) {
            t.add(needs(type, "*", FILE_SYSTEM_WRITE, "files"));              // RandomAccessFile: mode unknown
        }
        for (String type : List.of("java.io.PrintWriter", "java.io.PrintStream", "java.util.Formatter")) {
            t.add(needs(type, "<init>(Ljava/lang/String;", FILE_SYSTEM_WRITE, "files"));  // file name overloads
            t.add(needs(type, "<init>(Ljava/io/File;", FILE_SYSTEM_WRITE, "files"));
        }
        for (String m : List.of("write*", "newOutputStream", "newBufferedWriter", "newByteChannel", "copy", "move",
                "delete*", "create*", "set*")) {
            t.add(needs("java.nio.file.Files", m, FILE_SYSTEM_WRITE, "files"));
        }
        t.add(needs("java.nio.channels.FileChannel", "open", FILE_SYSTEM_WRITE, "files"));  // options unknown
        t.add(needs("java.nio.channels.AsynchronousFileChannel", "open", FILE_SYSTEM_WRITE, "files"));
        for (String type : List.of("java.io.FileInputStream", "java.io.FileReader", "java.nio.file.Files",
                "java.nio.file.Paths", "java.nio.file.FileSystems", "java.nio.file.FileSystem")) {
            t.add(needs(type, "*", FILE_SYSTEM_READ, "files"));
        }
        t.add(needs("java.nio.file.Path", "of", FILE_SYSTEM_READ, "files"));
        t.add(needs("java.util.zip.ZipFile", "<init>(Ljava/lang/String;", FILE_SYSTEM_READ, "files"));
        return List.copyOf(t);
    }

    private static ApiRule allow(String owner, String member) {
        return new ApiRule(owner, member, ApiRule.Access.ALLOWED, null, "allowed");
    }

    private static ApiRule never(String owner, String member, String group) {
        return new ApiRule(owner, member, ApiRule.Access.NEVER, null, group);
    }

    private static ApiRule needs(String owner, String member, Permission permission, String group) {
        return new ApiRule(owner, member, ApiRule.Access.NEEDS, permission, group);
    }
}

package io.apexagent.host.plugin.process.child;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.apexagent.plugin.BasePlugin;
import io.apexagent.plugin.PluginActionNotFoundException;
import io.apexagent.plugin.PluginTransientException;
import io.apexagent.plugin.StatefulPlugin;
import io.apexagent.plugin.StreamingPlugin;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * Main class of a child JVM that runs one Java plugin out of process ({@code docs/process-protocol.md}).
 * Arguments: the plugin's class name and its class path. It reads requests from stdin on the main thread
 * (pings and the host's replies to context-service calls are handled there, so a busy plugin still heartbeats
 * and a plugin waiting for a reply gets it), runs calls and event handlers on a thread pool, and writes
 * answers to stdout, which nothing else may use: {@code System.out} is pointed at stderr, the log. End of
 * stdin — the host closed it or died — ends the process, so a child never outlives its host.
 */
public final class ChildMain {

    private final Wire wire;
    private final ExecutorService calls = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "plugin-call");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Cancellable> streams = new ConcurrentHashMap<>();
    private final String className;
    private final String classPath;
    /** The thread that reads stdin: it must never wait for a reply, which only it can read. */
    private final Thread reader = Thread.currentThread();
    private volatile BasePlugin plugin;
    private volatile ClassLoader pluginLoader;
    private volatile ChildContext context;

    private ChildMain(Wire wire, String className, String classPath) {
        this.wire = wire;
        this.className = className;
        this.classPath = classPath;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("ERROR usage: ChildMain <plugin class name> <plugin class path>");
            System.exit(2);
        }
        Wire wire = new Wire(new FileOutputStream(FileDescriptor.out));
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        exitWithParent();
        new ChildMain(wire, args[0], args[1]).serve();
        Runtime.getRuntime().halt(0);
    }

    /** Exits when the host is gone even if stdin never ends (plugin code that stopped reading it). */
    private static void exitWithParent() {
        long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
        Thread watch = new Thread(() -> {
            while (ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L) == parent) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.err.println("ERROR the host (process " + parent + ") is gone: exiting");
            Runtime.getRuntime().halt(0);
        }, "apex-parent-watch");
        watch.setDaemon(true);
        watch.start();
    }

    private void serve() throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (!line.isBlank()) {
                handle(Wire.parse(line));
            }
        }
    }

    private void handle(Map<String, Object> message) {
        String id = (String) message.get("id");
        switch ((String) message.get("type")) {
            case "ping" -> send(Map.of("type", "pong"));
            case "initialize" -> calls.execute(() -> initialize(id, message));
            case "execute" -> calls.execute(() -> execute(id, message));
            case "cancel" -> {
                Cancellable stream = streams.remove(id);
                if (stream != null) {
                    stream.cancel();
                }
            }
            case "reply" -> context.onReply(message);
            case "event" -> context.deliver(message);
            case "restore" -> calls.execute(() -> restore(id, message));
            // on the pool: a plugin's shutdown may call the host and wait for the reply, which this thread reads
            case "shutdown" -> calls.execute(() -> answer(id, plugin == null ? Uni.createFrom().voidItem()
                    : plugin.shutdown()));
            default -> System.err.println("WARN unknown message type " + message.get("type") + ", ignored");
        }
    }

    private void initialize(String id, Map<String, Object> message) {
        try {
            URL[] urls = java.util.Arrays.stream(classPath.split(File.pathSeparator)).map(ChildMain::url)
                    .toArray(URL[]::new);
            ClassLoader loader = new URLClassLoader("plugin", urls, ChildMain.class.getClassLoader());
            Thread.currentThread().setContextClassLoader(loader);
            pluginLoader = loader;
            plugin = (BasePlugin) loader.loadClass(className).getConstructor().newInstance();
            context = new ChildContext(message, wire, reader, calls, plugin);
            plugin.initialize(context).subscribe().with(
                    ok -> send(Map.of("type", "ready", "id", id, "v", Wire.VERSION,
                            "actions", plugin.getActions().stream().map(a -> a.name()).toList(),
                            "features", plugin instanceof StatefulPlugin ? List.of("restore") : List.of())),
                    failure -> fail(id, failure));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            fail(id, e);
        }
    }

    /** Hands restored state to the plugin; the host waits for the answer before it sends any action. */
    @SuppressWarnings("unchecked")
    private void restore(String id, Map<String, Object> message) {
        Map<String, Object> state = (Map<String, Object>) message.getOrDefault("state", Map.of());
        Thread.currentThread().setContextClassLoader(pluginLoader);
        try {
            ((StatefulPlugin) plugin).restoreState(state);
            send(Map.of("type", "result", "id", id));
        } catch (RuntimeException | LinkageError e) {
            fail(id, e);
        }
    }

    private void execute(String id, Map<String, Object> message) {
        String action = (String) message.get("action");
        @SuppressWarnings("unchecked")
        Map<String, Object> params = (Map<String, Object>) message.getOrDefault("params", Map.of());
        Thread.currentThread().setContextClassLoader(pluginLoader);
        try {
            if (!Boolean.TRUE.equals(message.get("stream"))) {
                answer(id, plugin.executeAction(action, params));
            } else if (plugin instanceof StreamingPlugin streaming) {
                stream(id, streaming, action, params);
            } else {
                throw new PluginActionNotFoundException("plugin class " + className + " does not stream; action "
                        + action + " cannot be streamed");
            }
        } catch (RuntimeException | LinkageError e) {
            fail(id, e);
        }
    }

    private void stream(String id, StreamingPlugin streaming, String action, Map<String, Object> params) {
        streams.put(id, streaming.streamAction(action, params).subscribe().with(
                chunk -> send(Map.of("type", "chunk", "id", id, "data", Wire.plain(chunk.data()),
                        "attributes", chunk.attributes())),
                failure -> {
                    streams.remove(id);
                    fail(id, failure);
                },
                () -> {
                    streams.remove(id);
                    send(Map.of("type", "result", "id", id));
                }));
    }

    private void answer(String id, Uni<?> result) {
        result.subscribe().with(item -> {
            Map<String, Object> answer = new HashMap<>();
            answer.put("type", "result");
            answer.put("id", id);
            answer.put("data", Wire.plain(item));
            send(answer);
        }, failure -> fail(id, failure));
    }

    private void fail(String id, Throwable failure) {
        String type = failure instanceof PluginActionNotFoundException ? "action_not_found"
                : failure instanceof PluginTransientException ? "transient" : "execution";
        String text = failure.getMessage() != null ? failure.getClass().getSimpleName() + ": " + failure.getMessage()
                : failure.toString();
        send(Map.of("type", "error", "id", id, "error", Map.of("type", type, "message", text)));
    }

    private void send(Map<String, ?> message) {
        try {
            wire.send(message);
        } catch (IOException e) {
            // The host is gone: nothing can be reported any more.
            Runtime.getRuntime().halt(1);
        }
    }

    private static URL url(String path) {
        try {
            return Path.of(path).toUri().toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalArgumentException("class path entry " + path + " is not a valid path", e);
        }
    }
}

package io.apexagent.host.plugin.process;

/**
 * Sources of the out-of-process test plugins of {@link ProcessPluginContextIT}: Python class bodies for
 * {@link ProcessPluginFolders#python} and Java classes of package {@code proc} for {@link ProcessPluginFolders#java}.
 */
final class ContextTestPlugins {

    private ContextTestPlugins() {
    }

    static final String PY_SUBSCRIBER = """
                def initialize(self, context):
                    self.received = []
                    context.subscribe("ctx.note", self.received.append)

                @action("run")
                def run(self, params):
                    return {"received": [e["data"]["marker"] for e in self.received]}
            """;

    static final String JAVA_SUBSCRIBER = """
            package proc;

            import java.util.List;
            import java.util.Map;
            import java.util.concurrent.CopyOnWriteArrayList;
            import io.apexagent.plugin.AbstractPlugin;
            import io.smallrye.mutiny.Uni;

            public class Listener extends AbstractPlugin {
                private final List<Object> received = new CopyOnWriteArrayList<>();

                @Override
                protected Uni<Void> onInitialize() {
                    context().events().subscribe("ctx.note", e -> received.add(e.data().get("marker")));
                    return Uni.createFrom().voidItem();
                }

                @Override
                public Uni<Object> executeAction(String action, Map<String, Object> params) {
                    return Uni.createFrom().item(Map.of("received", List.copyOf(received)));
                }
            }
            """;

    static final String JAVA_STATEFUL = """
            package proc;

            import java.util.Map;
            import io.apexagent.plugin.AbstractPlugin;
            import io.apexagent.plugin.StatefulPlugin;
            import io.smallrye.mutiny.Uni;

            public class Notebook extends AbstractPlugin implements StatefulPlugin {
                private volatile String note = "none";

                @Override
                public Uni<Object> executeAction(String action, Map<String, Object> params) {
                    if (params.containsKey("note")) {
                        note = (String) params.get("note");
                        return context().state().save().map(ok -> (Object) Map.of("note", note));
                    }
                    return Uni.createFrom().item(Map.of("note", note));
                }

                @Override
                public Map<String, Object> snapshotState() {
                    return Map.of("note", note);
                }

                @Override
                public void restoreState(Map<String, Object> state) {
                    note = String.valueOf(state.getOrDefault("note", "none"));
                }

                @Override
                public int stateSchemaVersion() {
                    return 1;
                }
            }
            """;

    static final String JAVA_FILES = """
            package proc;

            import java.io.IOException;
            import java.nio.charset.StandardCharsets;
            import java.util.Map;
            import io.apexagent.plugin.AbstractPlugin;
            import io.apexagent.plugin.PluginSecurityException;
            import io.smallrye.mutiny.Uni;

            public class Filer extends AbstractPlugin {
                @Override
                public Uni<Object> executeAction(String action, Map<String, Object> params) {
                    String read;
                    try {
                        context().files().write("j/hello.txt", "hi from the jvm".getBytes(StandardCharsets.UTF_8));
                        read = new String(context().files().read("j/hello.txt"), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        return Uni.createFrom().failure(e);
                    }
                    String outside = writeOutside();
                    String subscribe = subscribeWithoutPermission();
                    String bounded = readAtMost(5);
                    String fits = readAtMost(15);
                    return context().credentials().get("api-key")
                            .map(value -> "read")
                            .onFailure(PluginSecurityException.class)
                            .recoverWithItem(e -> e.getClass().getSimpleName() + ": " + e.getMessage())
                            .map(credential -> Map.of("read", read, "outside", outside, "credential", credential,
                                    "subscribe", subscribe, "bounded", bounded, "fits", fits));
                }

                private String readAtMost(long maxBytes) {
                    try {
                        return new String(context().files().read("j/hello.txt", maxBytes), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        return e.getClass().getSimpleName() + ": " + e.getMessage();
                    }
                }

                private String subscribeWithoutPermission() {
                    try {
                        context().events().subscribe("ctx.note", event -> { });
                        return "subscribed";
                    } catch (PluginSecurityException e) {
                        return e.getClass().getSimpleName() + ": " + e.getMessage();
                    }
                }

                private String writeOutside() {
                    try {
                        context().files().write("../j-escaped.txt", new byte[] {1});
                        return "written";
                    } catch (PluginSecurityException | IOException e) {
                        return e.getClass().getSimpleName() + ": " + e.getMessage();
                    }
                }
            }
            """;

    static final String JAVA_HOG = """
            package proc;

            import java.util.ArrayList;
            import java.util.List;
            import java.util.Map;
            import java.util.UUID;
            import io.apexagent.plugin.AbstractPlugin;
            import io.smallrye.mutiny.Uni;

            public class Hog extends AbstractPlugin {
                private static final String INSTANCE = UUID.randomUUID().toString();
                private final List<byte[]> hoard = new ArrayList<>();

                @Override
                public Uni<Object> executeAction(String action, Map<String, Object> params) {
                    if (params.containsKey("exhaust")) {
                        while (true) {
                            hoard.add(new byte[1 << 20]);
                        }
                    }
                    return Uni.createFrom().item(Map.of("instance", INSTANCE));
                }
            }
            """;

    static final String PY_REFUSED = """
                @action("run")
                def run(self, params):
                    from apexagent_plugin import PluginSecurityError
                    try:
                        if params["what"] == "credential":
                            self.context.credential("api-key")
                        elif params["what"] == "subscribe":
                            self.context.subscribe("ctx.note", print)
                        else:
                            self.context.state_put("k", "v")
                        return {"outcome": "allowed"}
                    except PluginSecurityError as e:
                        return {"outcome": type(e).__name__, "message": str(e)}
            """;

    /** Fetches {@code params.url} with {@code context.http()} and reports the body, or the refusal. */
    static final String JAVA_FETCHER = """
            package proc;

            import java.util.Map;
            import io.apexagent.plugin.AbstractPlugin;
            import io.apexagent.plugin.PluginHttp;
            import io.apexagent.plugin.PluginSecurityException;
            import io.smallrye.mutiny.Uni;

            public class Fetcher extends AbstractPlugin {
                @Override
                public Uni<Object> executeAction(String action, Map<String, Object> params) {
                    return context().http().send(PluginHttp.Request.of("POST", (String) params.get("url"))
                                    .withBody("from the jvm"))
                            .map(r -> (Object) Map.of("status", r.status(), "body", r.bodyAsString()))
                            .onFailure(PluginSecurityException.class)
                            .recoverWithItem(e -> Map.of("refused", e.getMessage()));
                }
            }
            """;

    /** Posts {@code params.text} to {@code params.url} through the host, or reports the refusal. */
    static final String PY_FETCHER = """
                @action("run")
                def run(self, params):
                    from apexagent_plugin import PluginSecurityError
                    try:
                        r = self.context.http("POST", params["url"], headers={"Authorization": "Bearer t"},
                                              body=params["text"], timeout=10)
                    except PluginSecurityError as e:
                        return {"refused": str(e)}
                    return {"status": r["status"], "body": r["body"].decode(), "uri": r["uri"],
                            "seen": r["headers"].get("x-seen-authorization") or r["headers"].get("X-Seen-Authorization")}
            """;

    /** Reaches {@code params.url} through the host, the same URL by another name, and the server directly. */
    static final String PY_NARROWED = """
                @action("run")
                def run(self, params):
                    import socket
                    from apexagent_plugin import PluginSecurityError
                    fetched = self.context.http("GET", params["url"])
                    try:
                        self.context.http("GET", params["url"].replace("127.0.0.1", "localhost"))
                        other = "fetched"
                    except PluginSecurityError as e:
                        other = str(e)
                    try:
                        socket.create_connection(("127.0.0.1", params["port"]), timeout=5).close()
                        direct = "connected"
                    except OSError as e:
                        direct = type(e).__name__
                    return {"status": fetched["status"], "body": fetched["body"].decode(), "other": other,
                            "direct": direct}
            """;
}

package io.apexagent.host.plugin;

/** Java sources of the plugins the end-to-end tests build, hostile ones included. */
final class PluginSources {

    private PluginSources() {
    }

    /** A plugin whose every action answers {"version": ..., "echo": params} after sleeping params.sleep_ms. */
    static String versioned(String pkg, String version) {
        return """
                package %s;
                import java.util.Map;
                import io.apexagent.plugin.AbstractPlugin;
                import io.smallrye.mutiny.Uni;
                public class VersionedPlugin extends AbstractPlugin {
                    @Override
                    public Uni<Object> executeAction(String action, Map<String, Object> params) {
                        long sleep = ((Number) params.getOrDefault("sleep_ms", 0)).longValue();
                        if (sleep > 0) {
                            try { Thread.sleep(sleep); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
                        }
                        return Uni.createFrom().item(Map.of("version", "%s", "action", action));
                    }
                }
                """.formatted(pkg, version);
    }

    /** A plugin that throws in initialize. */
    static String throwsInInitialize(String pkg) {
        return """
                package %s;
                import java.util.Map;
                import io.apexagent.plugin.AbstractPlugin;
                import io.smallrye.mutiny.Uni;
                public class BrokenInitPlugin extends AbstractPlugin {
                    @Override
                    protected Uni<Void> onInitialize() {
                        throw new IllegalStateException("database of the plugin is not configured");
                    }
                    @Override
                    public Uni<Object> executeAction(String action, Map<String, Object> params) {
                        return Uni.createFrom().item(Map.of());
                    }
                }
                """.formatted(pkg);
    }

    /** A plugin whose initialize fails transiently {@code failures} times, then succeeds. */
    static String flakyInitialize(String pkg, int failures) {
        return """
                package %s;
                import java.util.Map;
                import java.util.concurrent.atomic.AtomicInteger;
                import io.apexagent.plugin.AbstractPlugin;
                import io.apexagent.plugin.PluginTransientException;
                import io.smallrye.mutiny.Uni;
                public class FlakyPlugin extends AbstractPlugin {
                    static final AtomicInteger ATTEMPTS = new AtomicInteger();
                    @Override
                    protected Uni<Void> onInitialize() {
                        if (ATTEMPTS.incrementAndGet() <= %d) {
                            return Uni.createFrom().failure(new PluginTransientException("remote not ready yet"));
                        }
                        return Uni.createFrom().voidItem();
                    }
                    @Override
                    public Uni<Object> executeAction(String action, Map<String, Object> params) {
                        return Uni.createFrom().item(Map.of("attempts", ATTEMPTS.get()));
                    }
                }
                """.formatted(pkg, failures);
    }

    /** A plugin that references a Jackson class, which plugins cannot see. */
    static String usesHiddenHostClass(String pkg) {
        return """
                package %s;
                import java.util.Map;
                import io.apexagent.plugin.AbstractPlugin;
                import io.smallrye.mutiny.Uni;
                public class SneakyPlugin extends AbstractPlugin {
                    private final com.fasterxml.jackson.databind.ObjectMapper mapper = null;
                    @Override
                    public Uni<Object> executeAction(String action, Map<String, Object> params) {
                        return Uni.createFrom().item(Map.of());
                    }
                }
                """.formatted(pkg);
    }

    /** A plugin whose action never answers. */
    static String hangs(String pkg) {
        return """
                package %s;
                import java.util.Map;
                import io.apexagent.plugin.AbstractPlugin;
                import io.smallrye.mutiny.Uni;
                public class HangingPlugin extends AbstractPlugin {
                    @Override
                    public Uni<Object> executeAction(String action, Map<String, Object> params) {
                        return Uni.createFrom().nothing();
                    }
                }
                """.formatted(pkg);
    }

    /** Source that does not compile (line 6). */
    static String compileError(String pkg) {
        return """
                package %s;
                import java.util.Map;
                import io.apexagent.plugin.AbstractPlugin;
                import io.smallrye.mutiny.Uni;
                public class BrokenPlugin extends AbstractPlugin {
                    int x = "not a number";
                    @Override
                    public Uni<Object> executeAction(String action, Map<String, Object> params) {
                        return Uni.createFrom().item(Map.of());
                    }
                }
                """.formatted(pkg);
    }

    /** A plugin whose first initialize fails (not transiently); it remembers the attempt in its data directory. */
    static String failsFirstInitialize(String pkg) {
        return """
                package %s;
                import java.util.Map;
                import io.apexagent.plugin.AbstractPlugin;
                import io.smallrye.mutiny.Uni;
                public class FailsOncePlugin extends AbstractPlugin {
                    @Override
                    protected Uni<Void> onInitialize() {
                        try {
                            if (context().files().list("").contains("attempted")) {
                                return Uni.createFrom().voidItem();
                            }
                            context().files().write("attempted", new byte[0]);
                        } catch (java.io.IOException e) {
                            return Uni.createFrom().failure(e);
                        }
                        return Uni.createFrom().failure(new IllegalStateException("first start always fails"));
                    }
                    @Override
                    public Uni<Object> executeAction(String action, Map<String, Object> params) {
                        return Uni.createFrom().item(Map.of("recovered", true));
                    }
                }
                """.formatted(pkg);
    }
}

package io.apexagent.host.plugin;

/** Java source of the misbehaving plugin the in-process isolation tests build; each action is one misdeed. */
final class HostileSources {

    private HostileSources() {
    }

    /**
     * Actions: {@code spin} (endless loop, deaf to interrupts), {@code hoard} (keeps every MiB it allocates),
     * {@code sleep} (sleeps for ever), {@code recurse} (endless recursion), {@code boom} (throws),
     * {@code flaky} (transient failure on the first {@code params.failures} calls), {@code block} (sleeps
     * {@code params.ms}), {@code ping} (answers at once); streaming {@code spinStream} (one chunk, then an endless loop while
     * producing the second).
     */
    static String misbehaving(String pkg) {
        return """
                package %s;
                import java.util.ArrayList;
                import java.util.List;
                import java.util.Map;
                import java.util.concurrent.atomic.AtomicInteger;
                import io.apexagent.plugin.AbstractPlugin;
                import io.apexagent.plugin.ActionChunk;
                import io.apexagent.plugin.PluginTransientException;
                import io.apexagent.plugin.StreamingPlugin;
                import io.smallrye.mutiny.Multi;
                import io.smallrye.mutiny.Uni;
                public class MisbehavingPlugin extends AbstractPlugin implements StreamingPlugin {
                    static volatile long sink;
                    static final AtomicInteger FLAKY_CALLS = new AtomicInteger();
                    @Override
                    public Uni<Object> executeAction(String action, Map<String, Object> params) {
                        switch (action) {
                            case "spin": while (true) { sink++; }
                            case "hoard": {
                                List<byte[]> hoard = new ArrayList<>();
                                while (true) { hoard.add(new byte[1 << 20]); sink += hoard.size(); }
                            }
                            case "sleep": {
                                try { Thread.sleep(Long.MAX_VALUE); } catch (InterruptedException e) { return Uni.createFrom().failure(e); }
                                return Uni.createFrom().item(Map.of());
                            }
                            case "recurse": return Uni.createFrom().item(Map.of("depth", depth(0)));
                            case "boom": throw new IllegalStateException("exploded on purpose");
                            case "flaky": {
                                int call = FLAKY_CALLS.incrementAndGet();
                                if (call <= ((Number) params.get("failures")).intValue()) {
                                    return Uni.createFrom().failure(new PluginTransientException("remote not ready, call " + call));
                                }
                                return Uni.createFrom().item(Map.of("calls", call));
                            }
                            case "block": {
                                try { Thread.sleep(((Number) params.get("ms")).longValue()); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
                                return Uni.createFrom().item(Map.of("blocked", true));
                            }
                            default: return Uni.createFrom().item(Map.of("pong", true));
                        }
                    }
                    @Override
                    public Multi<ActionChunk> streamAction(String action, Map<String, Object> params) {
                        return Multi.createFrom().generator(() -> 0, (n, emitter) -> {
                            if (n == 0) {
                                emitter.emit(ActionChunk.of(Map.of("n", 0)));
                                return 1;
                            }
                            while (true) { sink++; }
                        });
                    }
                    private static long depth(long n) {
                        return depth(n + 1) + 1;
                    }
                }
                """.formatted(pkg);
    }
}

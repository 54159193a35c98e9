package io.apexagent.plugins.audit;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.apexagent.plugin.AbstractPlugin;
import io.apexagent.plugin.EventDrivenPlugin;
import io.apexagent.plugin.PluginEvent;
import io.smallrye.mutiny.Uni;

/** Counts the events it is subscribed to. */
public class AuditListenerPlugin extends AbstractPlugin implements EventDrivenPlugin {

    private final AtomicLong seen = new AtomicLong();
    private final AtomicReference<Map<String, Object>> last = new AtomicReference<>();

    @Override
    public Set<String> subscriptions() {
        return Set.of("note.added");
    }

    @Override
    public Uni<Void> onEvent(PluginEvent event) {
        seen.incrementAndGet();
        last.set(event.data());
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Object> executeAction(String action, Map<String, Object> params) {
        Map<String, Object> stats = new HashMap<>();
        stats.put("seen", seen.get());
        stats.put("last", last.get());
        return Uni.createFrom().item(stats);
    }
}

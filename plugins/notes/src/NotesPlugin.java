package io.apexagent.plugins.notes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.apexagent.plugin.AbstractPlugin;
import io.apexagent.plugin.PluginActionNotFoundException;
import io.apexagent.plugin.StatefulPlugin;
import io.smallrye.mutiny.Uni;

/**
 * Keeps notes. State layout version 1 was {"notes": ["text", ...]}; version 2 is
 * {"notes": [{"text": ..., "added": ISO-8601}, ...]}: {@link #migrate} converts one to the other.
 */
public class NotesPlugin extends AbstractPlugin implements StatefulPlugin {

    private final List<Map<String, Object>> notes = new ArrayList<>();

    @Override
    public Uni<Object> executeAction(String action, Map<String, Object> params) {
        switch (action) {
            case "add" -> {
                String text = (String) params.get("text");
                int count;
                synchronized (notes) {
                    notes.add(Map.of("text", text, "added", Instant.now().toString()));
                    count = notes.size();
                }
                return context().events().publish("note.added", Map.of("text", text, "count", count))
                        .replaceWith(Map.of("count", count));
            }
            case "list" -> {
                synchronized (notes) {
                    return Uni.createFrom().item(Map.of("notes", List.copyOf(notes)));
                }
            }
            default -> {
                return Uni.createFrom().failure(new PluginActionNotFoundException("notes has no action " + action));
            }
        }
    }

    @Override
    public Map<String, Object> snapshotState() {
        synchronized (notes) {
            return Map.of("notes", List.copyOf(notes));
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void restoreState(Map<String, Object> state) {
        synchronized (notes) {
            notes.clear();
            notes.addAll((List<Map<String, Object>>) state.getOrDefault("notes", List.of()));
        }
    }

    @Override
    public int stateSchemaVersion() {
        return 2;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> migrate(int fromVersion, Map<String, Object> data) {
        if (fromVersion != 1) {
            throw new IllegalArgumentException("notes state: no migration from version " + fromVersion);
        }
        List<Map<String, Object>> upgraded = new ArrayList<>();
        for (Object text : (List<Object>) data.getOrDefault("notes", List.of())) {
            upgraded.add(Map.of("text", String.valueOf(text), "added", Instant.EPOCH.toString()));
        }
        return Map.of("notes", upgraded);
    }
}

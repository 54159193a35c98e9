package io.apexagent.plugins.ticker;

import java.time.Duration;
import java.util.Map;

import io.apexagent.plugin.AbstractPlugin;
import io.apexagent.plugin.ActionChunk;
import io.apexagent.plugin.PluginActionNotFoundException;
import io.apexagent.plugin.StreamingPlugin;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/** Streams a count, one chunk per number, with backpressure (a range emits only what is requested). */
public class TickerPlugin extends AbstractPlugin implements StreamingPlugin {

    @Override
    public Multi<ActionChunk> streamAction(String action, Map<String, Object> params) {
        if (!"count".equals(action)) {
            return Multi.createFrom().failure(new PluginActionNotFoundException("ticker has no action " + action));
        }
        int from = ((Number) params.get("from")).intValue();
        int to = ((Number) params.get("to")).intValue();
        long interval = ((Number) params.getOrDefault("interval_ms", 0)).longValue();
        Multi<Integer> numbers = Multi.createFrom().range(from, to + 1);
        if (interval > 0) {
            numbers = numbers.onItem().call(n -> Uni.createFrom().nullItem().onItem().delayIt().by(Duration.ofMillis(interval)));
        }
        return numbers.map(n -> ActionChunk.of(Map.of("n", n)));
    }

    @Override
    public Uni<Object> executeAction(String action, Map<String, Object> params) {
        return streamAction(action, params).map(ActionChunk::data).collect().asList().map(list -> (Object) list);
    }
}

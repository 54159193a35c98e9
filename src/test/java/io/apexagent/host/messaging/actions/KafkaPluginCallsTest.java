package io.apexagent.host.messaging.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.host.plugin.lifecycle.PluginLifecycle;
import io.apexagent.host.plugin.loader.JavaSourceCompiler;
import io.apexagent.host.plugin.loader.PluginLoader;
import io.apexagent.host.plugin.runtime.ActionDispatcher;
import io.apexagent.host.plugin.runtime.CallLimits;
import io.apexagent.host.plugin.runtime.ManagedPlugin;
import io.apexagent.host.plugin.runtime.PluginBusyException;
import io.apexagent.host.plugin.runtime.PluginWorkers;
import io.apexagent.host.testing.ApexConfigs;
import io.apexagent.host.testing.TestPlugins;
import io.apexagent.plugin.ActionChunk;
import io.apexagent.plugin.PluginUnavailableException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * A streaming call of the Kafka path against real plugin workers that refuse it as busy: the refusal must reach the
 * busy retry as the stream's failure, never be thrown out of the subscription and dropped (the call then never ended,
 * and its request stayed RUNNING with its lease renewed for ever).
 */
class KafkaPluginCallsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private Path dir;
    private ManagedPlugin plugin;
    private CallLimits limits;
    private ActionDispatcher dispatcher;
    private final CountDownLatch release = new CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicInteger refusals = new java.util.concurrent.atomic.AtomicInteger();

    @BeforeEach
    void load() throws IOException {
        dir = Files.createTempDirectory("kafka-plugin-calls");
        PluginManifest manifest = TestPlugins.plugin("busy-counter").action("count", true)
                .javaSource("busy.counter.CounterPlugin", """
                        package busy.counter;
                        import java.util.Map;
                        import io.apexagent.plugin.AbstractPlugin;
                        import io.apexagent.plugin.ActionChunk;
                        import io.apexagent.plugin.StreamingPlugin;
                        import io.smallrye.mutiny.Multi;
                        import io.smallrye.mutiny.Uni;
                        public class CounterPlugin extends AbstractPlugin implements StreamingPlugin {
                            @Override
                            public Multi<ActionChunk> streamAction(String action, Map<String, Object> params) {
                                int to = ((Number) params.getOrDefault("to", 3)).intValue();
                                return Multi.createFrom().range(1, to + 1).map(n -> ActionChunk.of(Map.of("n", n)));
                            }
                            @Override
                            public Uni<Object> executeAction(String action, Map<String, Object> params) {
                                return Uni.createFrom().item(params);
                            }
                        }
                        """)
                .writeTo(dir).manifest();
        plugin = new ManagedPlugin(manifest, new PluginLifecycle("busy-counter", manifest.version(), "unit", e -> { },
                Clock.systemUTC()), new PluginWorkers("busy-counter", manifest.version(), 1, 1));
        plugin.loaded(new PluginLoader(new JavaSourceCompiler(dir.resolve("cache"))).load(manifest));
        limits = new CallLimits(ApexConfigs.of(Map.of()).plugins(), (p, reason) -> { });
        // A time limit longer than any wait here: a call must end by itself, not by timing out.
        dispatcher = new ActionDispatcher(new ObjectMapper(), WAIT.multipliedBy(6), Infrastructure.getDefaultWorkerPool(),
                limits);
    }

    @AfterEach
    void close() {
        release.countDown();
        limits.close();
        plugin.workers().close();
        plugin.loaded().close();
    }

    @Test
    void aStreamRefusedAsBusyFailsWithTheBusyErrorInsteadOfThrowingOutOfItsSubscription() {
        fillTheWorkers();

        AssertSubscriber<ActionChunk> caller = AssertSubscriber.create(Long.MAX_VALUE);
        call().subscribe().withSubscriber(caller);

        assertThat(caller.awaitFailure(WAIT).getFailure()).isInstanceOf(PluginBusyException.class)
                .hasMessageContaining("busy-counter is busy");
    }

    @Test
    void aStreamingCallRefusedAsBusyFromAnotherThreadIsRetriedUntilTheWorkersTakeIt() {
        fillTheWorkers();

        // Subscribed from a timer thread, as after a database callback: an error thrown out of that subscription was
        // dropped there and the call never ended.
        AssertSubscriber<Object> caller = Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(20))
                .onItem().transformToMulti(ignored -> KafkaPluginCalls.retriedWhileBusy(call(), refusals::incrementAndGet))
                .map(ActionChunk::data)
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        await().pollDelay(Duration.ofMillis(300)).atMost(WAIT).until(() -> true);
        assertThat(caller.getItems()).isEmpty();
        // Still waiting for the workers: neither failed (the failure is shown if it did) nor completed.
        assertThat(caller.getFailure()).as("failure while waiting for the workers").isNull();
        assertThat(caller.hasCompleted()).as("completed while waiting for the workers").isFalse();

        release.countDown();
        caller.awaitCompletion(WAIT);
        assertThat(caller.getItems()).containsExactly(Map.of("n", 1), Map.of("n", 2), Map.of("n", 3));
        assertThat(plugin.calls().count()).isZero();
        assertThat(refusals.get()).as("refusals counted").isPositive();
    }

    @Test
    void aStreamWhoseWorkersCloseUnderItFailsWithTheUnavailableErrorInsteadOfWaitingForEver() {
        AssertSubscriber<ActionChunk> caller = AssertSubscriber.create(1);
        call(Map.of("to", 100_000)).subscribe().withSubscriber(caller);
        caller.awaitItems(1, WAIT);

        plugin.workers().close();
        // Past what the host's hand-over buffered: the next request(n) must reach the closed workers.
        caller.request(Long.MAX_VALUE);

        // Not "busy": a stream that already sent chunks must end with an error, never be run again from the start.
        assertThat(caller.awaitFailure(WAIT).getFailure()).isInstanceOf(PluginUnavailableException.class)
                .isNotInstanceOf(PluginBusyException.class).hasMessageContaining("busy-counter is stopping");
        assertThat(caller.getItems().size()).isLessThan(100_000);
    }

    /** One call admitted and passed to the dispatcher, as the plugin manager does. */
    private Multi<ActionChunk> call() {
        return call(Map.of());
    }

    private Multi<ActionChunk> call(Map<String, Object> params) {
        return Multi.createFrom().deferred(() -> {
            assertThat(plugin.calls().tryEnter()).isTrue();
            return dispatcher.stream(plugin, "count", params);
        });
    }

    /** Holds the plugin's only worker and fills its queue (of one). */
    private void fillTheWorkers() {
        plugin.workers().execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        plugin.workers().execute(() -> { });
    }
}

package io.apexagent.host.state;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;

/**
 * One queue per plugin: asynchronous state writes of the same plugin run one after the other (so an
 * older snapshot never lands after a newer one), writes of different plugins run in parallel. Thread-safe.
 */
final class WriteLanes {

    private final ConcurrentHashMap<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    /** @return a lazy Uni that runs {@code work} once every earlier work of {@code key} has ended */
    <T> Uni<T> run(String key, Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
            CompletableFuture<T> result = new CompletableFuture<>();
            tails.compute(key, (k, tail) -> {
                CompletableFuture<Void> previous = tail != null ? tail : CompletableFuture.completedFuture(null);
                return previous.thenCompose(ignored -> {
                    start(work, result);
                    return result.handle((r, e) -> (Void) null);
                });
            });
            return Uni.createFrom().completionStage(result);
        });
    }

    private static <T> void start(Supplier<Uni<T>> work, CompletableFuture<T> result) {
        try {
            work.get().subscribe().with(result::complete, result::completeExceptionally);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }
}

package io.apexagent.host.messaging.actions;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

/**
 * Group commit: items submitted while a statement is running are written together by the next one, so
 * many concurrent requests share one round trip and one fsync instead of paying one each. An item never
 * waits for a timer: with a statement slot free it is written at once (alone), so a quiet replica adds no
 * latency, and a busy one gets larger batches. At most {@code concurrency} statements run at a time, so an
 * item arriving just after a statement started need not wait for that one to finish first.
 * A failed statement fails every item of its batch (callers retry their own item), unless the failure says that an
 * item's content was refused ({@code refusedItem}): then each item of the batch is written again alone, so that one
 * refused item fails only its own caller, not every request batched with it, retry after retry. Thread-safe.
 *
 * @param <I> what one caller writes
 * @param <O> what one caller gets back
 */
final class GroupCommit<I, O> {

    /** Writes a batch; the result has one element per item, in the same order. */
    interface Statement<I, O> extends Function<List<I>, Uni<List<O>>> {
    }

    private record Pending<I, O>(I item, UniEmitter<? super O> caller) {
    }

    private final Statement<I, O> statement;
    private final int maxBatch;
    private final int concurrency;
    private final Consumer<Runnable> scope;
    private final Predicate<Throwable> refusedItem;
    private final Queue<Pending<I, O>> queue = new ArrayDeque<>();
    private int running;

    /**
     * @param statement   writes one batch
     * @param maxBatch    most items in one statement (bounds the statement's size)
     * @param concurrency most statements running at once (bounds the connections used)
     */
    GroupCommit(Statement<I, O> statement, int maxBatch, int concurrency) {
        this(statement, maxBatch, concurrency, Runnable::run, e -> false);
    }

    /**
     * @param scope       runs each statement's start, and its completion of the callers, whose continuations run
     *                    synchronously in it
     * @param refusedItem whether a statement's failure is due to an item's content (not to the database being away)
     */
    GroupCommit(Statement<I, O> statement, int maxBatch, int concurrency, Consumer<Runnable> scope,
            Predicate<Throwable> refusedItem) {
        if (maxBatch < 1 || concurrency < 1) {
            throw new IllegalArgumentException("a group commit needs at least 1 item per batch and 1 statement at a "
                    + "time, got " + maxBatch + " and " + concurrency);
        }
        this.statement = statement;
        this.maxBatch = maxBatch;
        this.concurrency = concurrency;
        this.scope = scope;
        this.refusedItem = refusedItem;
    }

    /** @return completes with this item's result once the statement that carried it completed */
    Uni<O> submit(I item) {
        return Uni.createFrom().emitter(caller -> {
            synchronized (this) {
                queue.add(new Pending<>(item, caller));
                if (running == concurrency) {
                    return;
                }
                running++;
            }
            writeNext();
        });
    }

    private void writeNext() {
        List<Pending<I, O>> batch = new ArrayList<>();
        synchronized (this) {
            while (batch.size() < maxBatch && !queue.isEmpty()) {
                batch.add(queue.poll());
            }
            if (batch.isEmpty()) {
                running--;
                return;
            }
        }
        scope.accept(() -> write(batch));
    }

    private void write(List<Pending<I, O>> batch) {
        apply(batch).subscribe().with(results -> scope.accept(() -> {
            completeAll(batch, results);
            writeNext();
        }), failure -> scope.accept(() -> {
            if (batch.size() > 1 && refusedItem.test(failure)) {
                writeAlone(batch, 0);
                return;
            }
            batch.forEach(p -> p.caller().fail(failure));
            writeNext();
        }));
    }

    /** Writes the items of a refused batch one statement each, from {@code next} on, in the same statement slot. */
    private void writeAlone(List<Pending<I, O>> batch, int next) {
        if (next == batch.size()) {
            writeNext();
            return;
        }
        List<Pending<I, O>> alone = List.of(batch.get(next));
        apply(alone).subscribe().with(results -> scope.accept(() -> {
            completeAll(alone, results);
            writeAlone(batch, next + 1);
        }), failure -> scope.accept(() -> {
            alone.get(0).caller().fail(failure);
            writeAlone(batch, next + 1);
        }));
    }

    private Uni<List<O>> apply(List<Pending<I, O>> batch) {
        try {
            return statement.apply(batch.stream().map(Pending::item).toList());
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(e);
        }
    }

    private static <I, O> void completeAll(List<Pending<I, O>> batch, List<O> results) {
        if (results.size() != batch.size()) {
            IllegalStateException wrong = new IllegalStateException("group commit statement returned "
                    + results.size() + " results for " + batch.size() + " items");
            batch.forEach(p -> p.caller().fail(wrong));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).caller().complete(results.get(i));
        }
    }

    /** @return items waiting for the next statement */
    synchronized int waiting() {
        return queue.size();
    }
}

package io.apexagent.host.state;

import java.util.function.Supplier;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Runs reactive database work on a new, safe Vert.x duplicated context, as Hibernate Reactive requires,
 * from any thread (lifecycle thread, plugin workers, event loops) without blocking it.
 */
final class VertxContexts {

    private VertxContexts() {
    }

    /** @return a lazy Uni that subscribes to {@code work} on a fresh duplicated context */
    static <T> Uni<T> onNewContext(Vertx vertx, Supplier<Uni<T>> work) {
        return Uni.createFrom().emitter(emitter -> {
            Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
            VertxContextSafetyToggle.setContextSafe(context, true);
            context.runOnContext(ignored -> {
                try {
                    work.get().subscribe().with(emitter::complete, emitter::fail);
                } catch (RuntimeException e) {
                    emitter.fail(e);
                }
            });
        });
    }
}

package io.apexagent.host.messaging.actions;

import java.util.function.Supplier;

import org.eclipse.microprofile.context.ThreadContext;

import io.smallrye.context.SmallRyeThreadContext;

/**
 * Runs a step of the action path with SmallRye context propagation switched off for the Mutiny operators it
 * assembles. By default every operator callback is wrapped to capture and restore the CDI request context
 * and the JTA transaction around each call, which cost about a tenth of the host's CPU per request in a
 * profile; a Kafka request has neither (it runs as the host, in no request scope, and its database
 * writes use the reactive pool outside any JTA transaction), so there is nothing to carry. The switch
 * holds for everything the step does synchronously, so it is applied where the path resumes after waiting
 * (a record arrives, a statement or a send completes, a permit frees up).
 */
final class WithoutContextPropagation {

    private static final SmallRyeThreadContext NONE = SmallRyeThreadContext.builder()
            .propagated()
            .cleared()
            .unchanged(ThreadContext.ALL_REMAINING)
            .build();

    private WithoutContextPropagation() {
    }

    static <T> T get(Supplier<T> step) {
        return SmallRyeThreadContext.withThreadContext(NONE, step);
    }

    static void run(Runnable step) {
        SmallRyeThreadContext.withThreadContext(NONE, step);
    }
}

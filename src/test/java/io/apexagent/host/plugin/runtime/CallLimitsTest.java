package io.apexagent.host.plugin.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.host.testing.ApexConfigs;
import io.apexagent.plugin.PluginExecutionException;
import io.apexagent.plugin.PluginTransientException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;

/** Transient retries: the number of attempts, the failure that is kept, and what is not retried. */
class CallLimitsTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    final CallLimits limits = new CallLimits(ApexConfigs.of(Map.of(
            "apex.plugins.transient-retry.attempts", "4",
            "apex.plugins.transient-retry.backoff", "1ms",
            "apex.plugins.transient-retry.max-backoff", "4ms")).plugins(), (plugin, reason) -> { });
    final AtomicInteger attempts = new AtomicInteger();

    @AfterEach
    void close() {
        limits.close();
    }

    @Test
    void transientFailuresAreRetriedUntilTheCallSucceeds() {
        Object result = limits.retryTransient(failing(2, this::transientFailure), configured()).await().atMost(WAIT);

        assertThat(result).isEqualTo("ok after 3");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void afterTheLastAttemptItsFailureIsWhatTheCallerSees() {
        Throwable failure = limits.retryTransient(failing(10, this::transientFailure), configured()).subscribe()
                .withSubscriber(UniAssertSubscriber.create()).awaitFailure(WAIT).getFailure();

        assertThat(failure).isInstanceOf(PluginTransientException.class).hasMessage("attempt 4 failed");
        assertThat(attempts).hasValue(4);
    }

    @Test
    void otherFailuresAreNotRetried() {
        limits.retryTransient(failing(10, n -> new PluginExecutionException("p", "attempt " + n + " failed", null)),
                configured())
                .subscribe().withSubscriber(UniAssertSubscriber.create()).awaitFailure(WAIT)
                .assertFailedWith(PluginExecutionException.class, "attempt 1 failed");
        assertThat(attempts).hasValue(1);
    }

    @Test
    void theManifestsAttemptsOverrideTheConfiguredOnes() {
        assertThat(configured()).isEqualTo(4);
        assertThat(limits.transientAttempts(limits(1))).isEqualTo(1);
        assertThat(limits.transientAttempts(limits(6))).isEqualTo(6);

        limits.retryTransient(failing(10, this::transientFailure), limits.transientAttempts(limits(1)))
                .subscribe().withSubscriber(UniAssertSubscriber.create()).awaitFailure(WAIT)
                .assertFailedWith(PluginTransientException.class, "attempt 1 failed");
        assertThat(attempts).hasValue(1);
        attempts.set(0);
        Object result = limits.retryTransient(failing(5, this::transientFailure), limits.transientAttempts(limits(6)))
                .await().atMost(WAIT);
        assertThat(result).isEqualTo("ok after 6");
    }

    private int configured() {
        return limits.transientAttempts(PluginManifest.Limits.DEFAULTS);
    }

    private static PluginManifest.Limits limits(int transientAttempts) {
        return new PluginManifest.Limits(0, 0, 0, 0, 0, transientAttempts);
    }

    private Uni<Object> failing(int failures, java.util.function.IntFunction<RuntimeException> failure) {
        return Uni.createFrom().deferred(() -> {
            int n = attempts.incrementAndGet();
            return n <= failures ? Uni.createFrom().failure(failure.apply(n)) : Uni.createFrom().item("ok after " + n);
        });
    }

    private RuntimeException transientFailure(int attempt) {
        return new PluginTransientException("attempt " + attempt + " failed");
    }
}

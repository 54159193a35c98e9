package io.apexagent.host.plugin.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.apexagent.host.plugin.InvalidActionParametersException;
import io.apexagent.plugin.PluginActionNotFoundException;
import io.apexagent.plugin.PluginExecutionException;
import io.apexagent.plugin.PluginResourceLimitException;
import io.apexagent.plugin.PluginSecurityException;
import io.apexagent.plugin.PluginTimeoutException;
import io.apexagent.plugin.PluginTransientException;
import io.apexagent.plugin.PluginUnavailableException;

class CircuitBreakerTest {

    static final Duration WINDOW = Duration.ofSeconds(10);
    static final long SECOND = 1_000_000_000L;

    @Test
    void opensOnTheFaultThatReachesTheThresholdWithinTheWindowAndOnlyOnce() {
        CircuitBreaker breaker = new CircuitBreaker();
        assertThat(breaker.record(0, 3, WINDOW)).isFalse();
        assertThat(breaker.record(1 * SECOND, 3, WINDOW)).isFalse();
        assertThat(breaker.record(2 * SECOND, 3, WINDOW)).isTrue();
        assertThat(breaker.isOpen()).isTrue();
        assertThat(breaker.record(3 * SECOND, 3, WINDOW)).isFalse();
    }

    @Test
    void faultsOlderThanTheWindowNoLongerCount() {
        CircuitBreaker breaker = new CircuitBreaker();
        breaker.record(0, 3, WINDOW);
        breaker.record(1 * SECOND, 3, WINDOW);
        assertThat(breaker.record(12 * SECOND, 3, WINDOW)).isFalse();
        assertThat(breaker.recentFaults()).isEqualTo(1);
        assertThat(breaker.isOpen()).isFalse();
        breaker.record(13 * SECOND, 3, WINDOW);
        assertThat(breaker.record(14 * SECOND, 3, WINDOW)).isTrue();
    }

    @Test
    void pluginFaultsCountCallerErrorsAndRefusalsDoNot() {
        assertThat(CircuitBreaker.isFault(new PluginTimeoutException("p", "slow", null))).isTrue();
        assertThat(CircuitBreaker.isFault(new PluginExecutionException("p", "boom", null))).isTrue();
        assertThat(CircuitBreaker.isFault(new PluginResourceLimitException("p", "limits.cpu_ms", 1, 2, "cpu"))).isTrue();
        assertThat(CircuitBreaker.isFault(new PluginTransientException("remote down"))).isTrue();
        assertThat(CircuitBreaker.isFault(new IllegalStateException("raw"))).isTrue();
        assertThat(CircuitBreaker.isFault(new PluginActionNotFoundException("p", "no action", null))).isFalse();
        assertThat(CircuitBreaker.isFault(new InvalidActionParametersException("p", "bad", java.util.List.of())))
                .isFalse();
        assertThat(CircuitBreaker.isFault(new PluginUnavailableException("p", "busy", null))).isFalse();
        assertThat(CircuitBreaker.isFault(new PluginSecurityException("p", "denied", null))).isFalse();
    }
}

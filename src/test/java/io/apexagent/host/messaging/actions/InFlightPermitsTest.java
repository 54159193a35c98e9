package io.apexagent.host.messaging.actions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class InFlightPermitsTest {

    @Test
    void waitersAreAdmittedAsPermitsAreReleased() {
        InFlightPermits permits = new InFlightPermits(2);
        AtomicInteger admitted = new AtomicInteger();
        for (int i = 0; i < 4; i++) {
            permits.acquire().subscribe().with(ok -> admitted.incrementAndGet());
        }
        assertThat(admitted).hasValue(2);
        permits.release();
        assertThat(admitted).hasValue(3);
        permits.release();
        permits.release();
        assertThat(admitted).hasValue(4);
        assertThat(permits.available()).isEqualTo(1);
    }
}

package io.apexagent.host.security.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

/** A rotation notice the broker did not acknowledge is sent again; one it refuses for good is not. */
class CredentialRotationsTest {

    private final List<String> toldHere = new CopyOnWriteArrayList<>();
    private final List<CredentialRotation> sent = new CopyOnWriteArrayList<>();
    private final AtomicInteger attempts = new AtomicInteger();

    @Test
    void aNoticeNotAcknowledgedWithinTheDeliveryTimeOutIsSentAgainUntilItIs() {
        CredentialRotations rotations = rotations(attempt -> attempt <= 2
                ? new TimeoutException("Expiration of 1 record(s) for apex.plugin.credentials-0: 900000 ms has passed")
                : null);

        rotations.rotated("vault-user", "api-key", 3);

        assertThat(toldHere).containsExactly("vault-user/api-key@3");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(sent).hasSize(1));
        assertThat(attempts).hasValue(3);
        assertThat(sent.get(0)).extracting(CredentialRotation::pluginId, CredentialRotation::name,
                CredentialRotation::version, CredentialRotation::nodeId).containsExactly("vault-user", "api-key", 3,
                        "node-a");
    }

    @Test
    void aNoticeTheBrokerRefusesForGoodIsNotSentAgain() {
        CredentialRotations rotations = rotations(attempt -> new RecordTooLargeException("too large"));

        rotations.rotated("vault-user", "api-key", 4);

        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> true);
        assertThat(attempts).hasValue(1);
        assertThat(sent).isEmpty();
    }

    @Test
    void aStoppingReplicaStopsSendingAgain() {
        CredentialRotations rotations = rotations(attempt -> new TimeoutException("broker away"));
        rotations.stop(null);

        rotations.rotated("vault-user", "api-key", 5);

        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> true);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aNoticeFromAnotherReplicaIsPassedOnAndOneOfItsOwnIsNot() {
        CredentialRotations rotations = rotations(attempt -> null);

        rotations.onRotation(new CredentialRotation("vault-user", "api-key", 6, "node-b", java.time.Instant.now()));
        rotations.onRotation(new CredentialRotation("vault-user", "api-key", 7, "node-a", java.time.Instant.now()));
        rotations.onRotation(null);

        assertThat(toldHere).containsExactly("vault-user/api-key@6");
    }

    @Test
    void aNoticeNotNewerThanWhatThePluginWasToldIsDropped() {
        CredentialRotations rotations = rotations(attempt -> null);

        rotations.rotated("vault-user", "api-key", 8);
        for (int version : new int[] {7, 8, 9, 9}) {
            rotations.onRotation(new CredentialRotation("vault-user", "api-key", version, "node-b",
                    java.time.Instant.now()));
        }
        rotations.onRotation(new CredentialRotation("vault-user", "db-password", 2, "node-b", java.time.Instant.now()));

        // 7 came late (sent again after an outage), 8 was written here, the second 9 is a duplicate.
        assertThat(toldHere).containsExactly("vault-user/api-key@8", "vault-user/api-key@9", "vault-user/db-password@2");
    }

    /** @param failureOfAttempt the failure of attempt n (from 1), or null when the broker acknowledges it */
    private CredentialRotations rotations(java.util.function.IntFunction<RuntimeException> failureOfAttempt) {
        return new CredentialRotations((pluginId, name, version) -> toldHere.add(pluginId + "/" + name + "@" + version),
                (Message<CredentialRotation> message) -> {
                    RuntimeException failure = failureOfAttempt.apply(attempts.incrementAndGet());
                    if (failure != null) {
                        return Uni.createFrom().failure(failure);
                    }
                    sent.add(message.getPayload());
                    return Uni.createFrom().voidItem();
                }, "node-a", Duration.ofMillis(50));
    }
}

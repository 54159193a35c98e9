package io.apexagent.host.messaging.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/** Which failures of the broker an event is held for, to be sent again, and which lose it for good. */
class EventForwarderTest {

    @Test
    void eventsAreHeldForFailuresThatPassAndNotForThoseTheBrokerGivesForTheEventItself() {
        // What the connector nacks with after the delivery time-out: its retry wrapper around Kafka's time-out.
        assertThat(EventForwarder.worthSendingAgain(new IllegalStateException("Retries exhausted",
                new TimeoutException("Topic apex.plugin.events not present in metadata after 2000 ms.")))).isTrue();
        assertThat(EventForwarder.worthSendingAgain(new IllegalStateException("emitter overflow"))).isTrue();
        assertThat(EventForwarder.worthSendingAgain(new IllegalStateException("Retries exhausted",
                new RecordTooLargeException("The message is 2000000 bytes")))).isFalse();
        assertThat(EventForwarder.worthSendingAgain(new TopicAuthorizationException("apex.plugin.events"))).isFalse();
    }
}

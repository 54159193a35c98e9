package io.apexagent.host.messaging.actions;

import java.util.Properties;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The client settings of the {@code apex.actions.results} producer, in one place so that the action path
 * benchmark's raw pass-through uses exactly the same ones (a fair baseline).
 * <ul>
 * <li>{@code acks=all} and idempotence: an acknowledged result survives a broker failover, and the producer's
 * own retries (same producer id and sequence numbers) never write a record twice.</li>
 * <li>{@code linger.ms=1}: records of concurrent requests share a produce request; 1 ms is below the
 * added-latency budget and lets a busy replica send large batches.</li>
 * <li>{@code delivery.timeout.ms} of 5 minutes: a broker restart is ridden out inside the producer, whose retries
 * cannot duplicate, instead of surfacing as a failed send that the application would have to resend.</li>
 * </ul>
 */
public final class ResultProducerSettings {

    /** How long the producer itself keeps retrying a record before its send fails. */
    static final int DELIVERY_TIMEOUT_MS = 300_000;

    private ResultProducerSettings() {
    }

    /** @return the producer settings for {@code bootstrap} */
    public static Properties of(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(DELIVERY_TIMEOUT_MS));
        return props;
    }
}

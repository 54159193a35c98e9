package io.apexagent.host.messaging.actions;

import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The client settings of the {@code apex.actions.requests} consumer, in one place so that the action path
 * benchmark's raw pass-through reads requests with exactly the same ones.
 * <ul>
 * <li>One group for all replicas ({@value #GROUP}), so Kafka spreads the partitions over them.</li>
 * <li>Values are read as text, so that a malformed record reaches the host (and the DLQ) instead of failing the
 * poll.</li>
 * <li>No auto commit: a request's offset is committed only once its final or error record was acknowledged
 * ({@link RequestPoller}).</li>
 * <li>Cooperative-sticky assignment: a replica joining or leaving moves only the partitions that change owner;
 * the others keep running their requests undisturbed.</li>
 * </ul>
 */
public final class RequestConsumerSettings {

    /** Consumer group of every replica. */
    public static final String GROUP = "apex-host";

    private RequestConsumerSettings() {
    }

    /** @return the consumer settings for {@code bootstrap} in {@code group} */
    public static Properties of(String bootstrap, String group, int maxPollRecords) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords));
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        return props;
    }
}

package io.apexagent.host.bench;

import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.apexagent.host.messaging.actions.ResultProducerSettings;

/**
 * Client settings of the action path benchmark. The raw pass-through uses exactly the settings that
 * {@code application.properties} gives the host's {@code action-requests} consumer, and the host's own result
 * producer settings, so that the comparison measures the host and not a different client configuration.
 */
final class KafkaClients {

    /** The host's throttled commit strategy commits every {@code auto.commit.interval.ms} (client default 5 s). */
    static final long COMMIT_INTERVAL_MS = 5000;

    private KafkaClients() {
    }

    /** Exactly the host's result producer settings ({@link ResultProducerSettings}). */
    static Properties resultProducer(String bootstrap) {
        return ResultProducerSettings.of(bootstrap);
    }

    /** As {@code mp.messaging.incoming.action-requests.*}: manual commits, earliest, 500 records a poll. */
    static Properties requestConsumer(String bootstrap, String groupId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        return props;
    }

    /** A consumer without a group that reads result topics from their end. */
    static Properties resultReader(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        return props;
    }
}

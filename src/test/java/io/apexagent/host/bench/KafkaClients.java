package io.apexagent.host.bench;

import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.apexagent.host.messaging.actions.RequestConsumerSettings;
import io.apexagent.host.messaging.actions.ResultProducerSettings;

/**
 * Client settings of the action path benchmark. The raw pass-through uses exactly the host's request consumer
 * settings ({@link RequestConsumerSettings}) and result producer settings, so that the comparison measures the
 * host and not a different client configuration.
 */
final class KafkaClients {

    /** As the host's default {@code apex.actions.commit-interval}. */
    static final long COMMIT_INTERVAL_MS = 1000;

    private KafkaClients() {
    }

    /** Exactly the host's result producer settings ({@link ResultProducerSettings}). */
    static Properties resultProducer(String bootstrap) {
        return ResultProducerSettings.of(bootstrap);
    }

    /** Exactly the host's request consumer settings, in a group of the raw side's own; 500 records a poll. */
    static Properties requestConsumer(String bootstrap, String groupId) {
        return RequestConsumerSettings.of(bootstrap, groupId, 500);
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

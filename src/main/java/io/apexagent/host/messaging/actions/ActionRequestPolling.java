package io.apexagent.host.messaging.actions;

import java.util.Properties;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.apexagent.host.config.ApexConfig;
import io.apexagent.host.config.NodeIdentity;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Starts the request consumer ({@link RequestPoller}) once the plugins are loaded, and drains it first at
 * shutdown, before plugins stop and before the database and broker steps of running requests give up.
 */
@ApplicationScoped
public class ActionRequestPolling {

    /** The request consumer's {@code client.id} is this and the node id. */
    public static final String CLIENT_ID_PREFIX = "apex-requests-";

    private final ActionRequestConsumer requests;
    private final ApexConfig.Actions config;
    private final String bootstrap;
    private final String nodeId;
    private final ActionPathMetrics metrics;
    private volatile RequestPoller poller;
    private volatile KafkaClientMetrics consumerMetrics;

    ActionRequestPolling(ActionRequestConsumer requests, ApexConfig config, NodeIdentity node,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap, ActionPathMetrics metrics) {
        this.requests = requests;
        this.metrics = metrics;
        metrics.watchConsumer(this::inFlight, this::retrying);
        this.nodeId = node.nodeId();
        this.config = config.actions();
        this.bootstrap = bootstrap;
    }

    /** After the plugins' initial load (priority 50), where the reactive messaging channels start (1000). */
    void onStart(@Observes @Priority(1000) StartupEvent event) {
        Properties settings = RequestConsumerSettings.of(bootstrap, RequestConsumerSettings.GROUP,
                config.maxPollRecords());
        // Names the replica in the group's description (kafka-consumer-groups --describe, Admin clients).
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, CLIENT_ID_PREFIX + nodeId);
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings);
        consumerMetrics = metrics.watchKafkaClient(consumer);
        poller = new RequestPoller(consumer, ActionRequestConsumer.TOPIC, config.maxInFlight(), config.commitInterval(),
                requests::handle);
        poller.start();
    }

    /** Before the other shutdown observers (default priority 2500), so that running requests can still finish. */
    void onStop(@Observes @Priority(10) ShutdownEvent event) throws InterruptedException {
        RequestPoller running = poller;
        if (running != null) {
            running.stop(config.drainTimeout());
        }
        KafkaClientMetrics bound = consumerMetrics;
        if (bound != null) {
            bound.close();
        }
    }

    /** @return requests running on this replica */
    int inFlight() {
        RequestPoller running = poller;
        return running == null ? 0 : running.inFlight();
    }

    /** @return requests whose handling failed and that are being run again (see {@link RequestPoller}) */
    int retrying() {
        RequestPoller running = poller;
        return running == null ? 0 : running.retrying();
    }

    /** @return what the consumer is doing; {@link RequestPoller.State#STARTING} before start-up */
    RequestPoller.State state() {
        RequestPoller running = poller;
        return running == null ? RequestPoller.State.STARTING : running.state();
    }
}

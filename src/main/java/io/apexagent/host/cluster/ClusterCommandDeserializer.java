package io.apexagent.host.cluster;

import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

/** Reads {@link ClusterCommand}s from {@code apex.plugin.commands}. */
public class ClusterCommandDeserializer extends ObjectMapperDeserializer<ClusterCommand> {

    public ClusterCommandDeserializer() {
        super(ClusterCommand.class);
    }
}

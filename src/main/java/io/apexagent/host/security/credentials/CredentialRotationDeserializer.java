package io.apexagent.host.security.credentials;

import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

/** Reads {@link CredentialRotation}s from {@code apex.plugin.credentials}. */
public class CredentialRotationDeserializer extends ObjectMapperDeserializer<CredentialRotation> {

    public CredentialRotationDeserializer() {
        super(CredentialRotation.class);
    }
}

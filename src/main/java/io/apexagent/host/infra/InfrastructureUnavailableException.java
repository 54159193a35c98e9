package io.apexagent.host.infra;

/** Thrown at start when a server the host depends on cannot be reached; the message says how to start it. */
public class InfrastructureUnavailableException extends RuntimeException {

    public InfrastructureUnavailableException(String message) {
        super(message);
    }
}

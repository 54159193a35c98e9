package io.apexagent.host.messaging;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Outgoing;

import io.apexagent.host.config.NodeIdentity;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Answers every record on {@code apex.host.ping} with one on {@code apex.host.pong} carrying this
 * replica's node id: a way for ops (and the tests) to see that each replica consumes and produces.
 */
@ApplicationScoped
public class HostPingResponder {

    /** Incoming channel of ping records. */
    public static final String PING = "host-ping";
    /** Outgoing channel of pong records. */
    public static final String PONG = "host-pong";

    private final NodeIdentity node;

    HostPingResponder(NodeIdentity node) {
        this.node = node;
    }

    @Incoming(PING)
    @Outgoing(PONG)
    public String answer(String ping) {
        return "pong from " + node.nodeId() + ": " + ping;
    }
}

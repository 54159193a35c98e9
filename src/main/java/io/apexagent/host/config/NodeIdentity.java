package io.apexagent.host.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

import jakarta.inject.Singleton;

/** The id of this replica, as it appears in lifecycle events, leases and logs. */
@Singleton
public class NodeIdentity {

    private final String nodeId;

    NodeIdentity(ApexConfig config) {
        this.nodeId = config.nodeId().filter(id -> !id.isBlank()).orElseGet(NodeIdentity::defaultId);
    }

    /** @return this replica's id, stable for the life of the process */
    public String nodeId() {
        return nodeId;
    }

    private static String defaultId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "local");
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}

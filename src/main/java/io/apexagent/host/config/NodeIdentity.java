package io.apexagent.host.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

import jakarta.inject.Singleton;

/** The id of this replica, as it appears in lifecycle events, leases and logs. */
@Singleton
public class NodeIdentity {

    /** Longest node id: the database stores it in {@code VARCHAR(256)} columns (leases, desired-state authors). */
    public static final int MAX_CHARS = 256;

    private final String nodeId;

    NodeIdentity(ApexConfig config) {
        this.nodeId = checked(config.nodeId().filter(id -> !id.isBlank()).orElseGet(NodeIdentity::defaultId));
    }

    /**
     * @return {@code id} if the database can store it
     * @throws IllegalArgumentException if it is too long: refused at start, not by every request's claim later
     */
    static String checked(String id) {
        if (id.length() > MAX_CHARS) {
            throw new IllegalArgumentException("apex.node-id (APEX_NODE_ID) is " + id.length() + " characters long; at "
                    + "most " + MAX_CHARS + " fit its database columns (action_execution.node_id), and with a longer "
                    + "one every Kafka request's claim would be refused");
        }
        return id;
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

package io.apexagent.host.security;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

import org.jboss.logging.Logger;

/**
 * The addresses of this machine's network interfaces, read again when older than a maximum age: a request to
 * one of them reaches the host's own services even when the address is public. Thread-safe.
 */
final class OwnAddresses {

    private static final Logger LOG = Logger.getLogger(OwnAddresses.class);

    private final long maxAgeMillis;
    private volatile Set<InetAddress> addresses = Set.of();
    private volatile long readAt = Long.MIN_VALUE;

    OwnAddresses(long maxAgeMillis) {
        this.maxAgeMillis = maxAgeMillis;
    }

    boolean contains(InetAddress address) {
        long now = System.currentTimeMillis();
        if (readAt == Long.MIN_VALUE || now - readAt > maxAgeMillis) {
            addresses = read();
            readAt = now;
        }
        return addresses.contains(address);
    }

    private Set<InetAddress> read() {
        Set<InetAddress> found = new HashSet<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                found.addAll(Collections.list(nic.getInetAddresses()));
            }
        } catch (SocketException e) {
            // Keep the last list: interfaces that cannot be listed now are still likely to be there.
            LOG.warnf("this machine's network interfaces could not be listed (%s); kept the last list of %d addresses",
                    e.getMessage(), addresses.size());
            return addresses;
        }
        return Set.copyOf(found);
    }
}

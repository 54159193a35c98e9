package io.apexagent.host.infra;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Checks that servers accept TCP connections, retrying until a deadline, and reports every one that
 * does not in one message. Blocking: call it only at start-up, never on an event loop.
 */
public final class InfrastructureProbe {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(500);

    private InfrastructureProbe() {
    }

    /**
     * @param endpoints servers to reach
     * @param wait      how long to keep retrying the unreachable ones
     * @throws InfrastructureUnavailableException naming each unreachable server and how to start it
     */
    public static void requireReachable(List<ServerEndpoint> endpoints, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        List<ServerEndpoint> pending = new ArrayList<>(endpoints);
        while (true) {
            pending.removeIf(InfrastructureProbe::reachable);
            if (pending.isEmpty()) {
                return;
            }
            if (System.nanoTime() >= deadline) {
                throw new InfrastructureUnavailableException(message(pending, wait));
            }
            LockSupport.parkNanos(RETRY_PAUSE.toNanos());
        }
    }

    static boolean reachable(ServerEndpoint endpoint) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), (int) CONNECT_TIMEOUT.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String message(List<ServerEndpoint> unreachable, Duration wait) {
        StringBuilder sb = new StringBuilder("The plugin host cannot start: ");
        sb.append(unreachable.size() == 1 ? "a server it needs is" : "servers it needs are")
                .append(" not reachable (waited ").append(wait.toSeconds()).append(" s):");
        for (ServerEndpoint e : unreachable) {
            sb.append("\n  - ").append(e.describe()).append(": ").append(e.hint());
        }
        return sb.toString();
    }
}

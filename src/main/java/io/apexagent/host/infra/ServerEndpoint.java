package io.apexagent.host.infra;

import java.net.URI;

/**
 * A server the host needs at start, where it is expected, and what to tell an operator who forgot it.
 *
 * @param name      human name, e.g. "Kafka broker"
 * @param configKey the configuration key the address came from
 * @param host      host name or address
 * @param port      TCP port
 * @param hint      how to start it or point the host elsewhere
 */
public record ServerEndpoint(String name, String configKey, String host, int port, String hint) {

    /** @return an endpoint for a URL such as {@code postgresql://h:5432/db} or {@code http://h:8200} */
    public static ServerEndpoint fromUrl(String name, String configKey, String url, int defaultPort, String hint) {
        URI uri = URI.create(url.startsWith("vertx-reactive:") ? url.substring("vertx-reactive:".length()) : url);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(configKey + " = '" + url + "' has no host; expected e.g. scheme://host:port/...");
        }
        return new ServerEndpoint(name, configKey, uri.getHost(), uri.getPort() > 0 ? uri.getPort() : defaultPort, hint);
    }

    /** @return an endpoint for a {@code host:port} pair */
    public static ServerEndpoint fromHostPort(String name, String configKey, String hostPort, String hint) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException(configKey + " = '" + hostPort + "' is not host:port");
        }
        return new ServerEndpoint(name, configKey, hostPort.substring(0, colon).strip(),
                Integer.parseInt(hostPort.substring(colon + 1).strip()), hint);
    }

    /** @return "Kafka broker at 127.0.0.1:9092 (kafka.bootstrap.servers)" */
    public String describe() {
        return name + " at " + host + ":" + port + " (" + configKey + ")";
    }
}

package io.apexagent.host.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class InfrastructureProbeTest {

    @Test
    void unreachableServerIsNamedWithItsAddressConfigKeyAndHowToStartIt() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        ServerEndpoint kafka = ServerEndpoint.fromHostPort("Kafka broker", "kafka.bootstrap.servers",
                "127.0.0.1:" + closedPort, "start one with kafka/start.sh");

        assertThatThrownBy(() -> InfrastructureProbe.requireReachable(List.of(kafka), Duration.ofMillis(300)))
                .isInstanceOf(InfrastructureUnavailableException.class)
                .hasMessageContaining("Kafka broker at 127.0.0.1:" + closedPort + " (kafka.bootstrap.servers)")
                .hasMessageContaining("start one with kafka/start.sh");
    }

    @Test
    void reachableServerPasses() throws IOException {
        try (ServerSocket open = new ServerSocket(0)) {
            ServerEndpoint endpoint = ServerEndpoint.fromUrl("PostgreSQL", "quarkus.datasource.reactive.url",
                    "postgresql://127.0.0.1:" + open.getLocalPort() + "/postgres", 5432, "hint");
            InfrastructureProbe.requireReachable(List.of(endpoint), Duration.ofSeconds(1));
        }
    }

    @Test
    void urlWithoutHostIsAConfigurationErrorNamingTheKey() {
        assertThatThrownBy(() -> ServerEndpoint.fromUrl("Vault", "quarkus.vault.url", "localhost8200", 8200, "h"))
                .hasMessageContaining("quarkus.vault.url")
                .hasMessageContaining("localhost8200");
    }
}

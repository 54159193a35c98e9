package io.apexagent.host.infra;

import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

import io.apexagent.host.config.ApexConfig;
import io.apexagent.host.config.NodeIdentity;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vault.client.VaultClient;

/**
 * First thing at start: makes sure Kafka, PostgreSQL and Vault answer (failing with a message that
 * names the missing server and how to start it), then applies the database migrations.
 */
@Singleton
public class InfrastructureStartup {

    private static final Logger LOG = Logger.getLogger(InfrastructureStartup.class);

    @Inject
    ApexConfig config;

    @Inject
    NodeIdentity node;

    @Inject
    Flyway flyway;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafkaBootstrap;

    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String databaseUrl;

    @ConfigProperty(name = "quarkus.vault.url")
    String vaultUrl;

    void onStart(@Observes @Priority(1) StartupEvent event) {
        if (config.startup().requireInfrastructure()) {
            InfrastructureProbe.requireReachable(endpoints(), config.startup().infrastructureWait());
        }
        var result = flyway.migrate();
        LOG.infof("Node %s: database schema at version %s (%d migrations applied now)",
                node.nodeId(), flyway.info().current() == null ? "none" : flyway.info().current().getVersion(),
                result.migrationsExecuted);
    }

    /**
     * Creates the shared Vault client here, on the main thread. Created lazily instead, it would belong to
     * whatever Vert.x context first needed it; if that is the HTTP server's (an API call), Vert.x closes it as
     * soon as the server stops at the start of shutdown, before the plugins' final state snapshots are
     * encrypted, and those snapshots are lost.
     */
    void createVaultClientOutsideVerticles(@Observes @Priority(2) StartupEvent event, VaultClient vault) {
        LOG.debugf("Vault client for %s created", vaultUrl);
    }

    List<ServerEndpoint> endpoints() {
        List<ServerEndpoint> endpoints = new ArrayList<>();
        for (String server : kafkaBootstrap.split(",")) {
            endpoints.add(ServerEndpoint.fromHostPort("Kafka broker", "kafka.bootstrap.servers", server.strip(),
                    "start one with kafka/start.sh, or set KAFKA_BOOTSTRAP_SERVERS"));
        }
        endpoints.add(ServerEndpoint.fromUrl("PostgreSQL", "quarkus.datasource.reactive.url", databaseUrl, 5432,
                "deploy/local/run.sh starts an embedded one, or set DB_REACTIVE_URL and DB_JDBC_URL"));
        endpoints.add(ServerEndpoint.fromUrl("Vault (OpenBao)", "quarkus.vault.url", vaultUrl, 8200,
                "start one with vault/start.sh, or set VAULT_ADDR and VAULT_TOKEN"));
        return endpoints;
    }
}

package io.apexagent.host.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every {@code apex.*} setting of the host, with its default. */
@ConfigMapping(prefix = "apex")
public interface ApexConfig {

    /** This replica's id in events and leases; defaults to the host name plus the process id. */
    Optional<String> nodeId();

    /** Start-up checks of the servers the host depends on. */
    Startup startup();

    /** Where plugins are found. */
    Plugins plugins();

    /** Start-up checks. */
    interface Startup {
        /** Refuse to start when Kafka, PostgreSQL or Vault cannot be reached (with a message saying how to start it). */
        @WithDefault("true")
        boolean requireInfrastructure();

        /** How long to keep trying to reach each server before giving up (pods often start before their servers). */
        @WithDefault("20s")
        Duration infrastructureWait();
    }

    /** Plugin discovery. */
    interface Plugins {
        /** Directories scanned for plugin folders ({@code <dir>/<id>/manifest.json}). */
        @WithDefault("plugins")
        List<String> dirs();
    }
}

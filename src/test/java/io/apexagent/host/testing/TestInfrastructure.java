package io.apexagent.host.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The real servers of the test suite — a Kafka broker (KRaft), OpenBao and PostgreSQL — started once
 * per JVM on free ports with the project's own scripts ({@code kafka/start.sh}, {@code vault/start.sh})
 * and zonky's embedded PostgreSQL, and stopped when the JVM exits. Thread-safe.
 */
public final class TestInfrastructure {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Path WORK = ROOT.resolve("target/test-infra");
    private static volatile TestInfrastructure instance;

    public final int kafkaPort;
    public final int kafkaControllerPort;
    public final int vaultPort;
    public final String vaultRootToken = "apex-test-root";
    private final int postgresPort;
    private volatile EmbeddedPostgres postgres;
    private volatile String transitKeyBackup;
    private final String hostToken;

    private TestInfrastructure() throws Exception {
        kafkaPort = freePort();
        kafkaControllerPort = freePort();
        vaultPort = freePort();
        stopLeftovers();
        deleteRecursively(WORK);
        Files.createDirectories(WORK);
        // Registered first: a server that started before another one failed must not outlive the JVM.
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "test-infrastructure-stop"));
        CompletableFuture<Void> kafka = CompletableFuture.runAsync(() -> runScript("kafka/start.sh", Map.of(
                "KAFKA_PORT", String.valueOf(kafkaPort),
                "KAFKA_CONTROLLER_PORT", String.valueOf(kafkaControllerPort),
                "KAFKA_DATA_DIR", kafkaDataDir().toString())));
        CompletableFuture<Void> vault = CompletableFuture.runAsync(() -> runScript("vault/start.sh", vaultEnv()));
        // WORK is emptied above; keeping the data directory on close lets the server restart on it.
        postgres = startPostgres(0);
        postgresPort = postgres.getPort();
        kafka.join();
        vault.join();
        // A host token (policy apex-host, like vault/start.sh's) with an id of our own, so that
        // startVault() can give a restarted in-memory server the same token, as a persistent one would keep it.
        hostToken = "apex-test-host-" + java.util.UUID.randomUUID();
        new VaultAdmin(vaultUrl(), vaultRootToken).recreateToken(hostToken, "apex-host");
    }

    /** Stops servers a previous run left behind when its JVM was killed before its shutdown hook ran. */
    private static void stopLeftovers() {
        if (Files.exists(WORK.resolve("kafka/kafka.pid"))) {
            runQuietly(() -> runScript("kafka/stop.sh", Map.of("KAFKA_DATA_DIR", WORK.resolve("kafka").toString())));
        }
        if (Files.exists(WORK.resolve("vault/bao.pid"))) {
            runQuietly(() -> runScript("vault/stop.sh", Map.of("VAULT_DATA_DIR", WORK.resolve("vault").toString())));
        }
    }

    /** @return the suite's servers, started on first call */
    public static TestInfrastructure get() {
        TestInfrastructure local = instance;
        if (local == null) {
            synchronized (TestInfrastructure.class) {
                local = instance;
                if (local == null) {
                    try {
                        instance = local = new TestInfrastructure();
                    } catch (Exception e) {
                        throw new IllegalStateException("Could not start the test servers (Kafka, OpenBao, PostgreSQL): "
                                + e.getMessage(), e);
                    }
                }
            }
        }
        return local;
    }

    public String kafkaBootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    public String vaultUrl() {
        return "http://127.0.0.1:" + vaultPort;
    }

    /** @return the token of policy apex-host that the host runs with */
    public String vaultHostToken() {
        return hostToken;
    }

    public int postgresPort() {
        return postgresPort;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/postgres";
    }

    /** @return a JDBC data source for reading raw rows in assertions */
    public javax.sql.DataSource dataSource() {
        return postgres.getPostgresDatabase();
    }

    /** @return the host configuration that points at these servers */
    public Map<String, String> hostConfig() {
        return Map.of(
                "kafka.bootstrap.servers", kafkaBootstrap(),
                "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + postgresPort + "/postgres",
                "quarkus.datasource.jdbc.url", jdbcUrl(),
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "",
                "quarkus.vault.url", vaultUrl(),
                "quarkus.vault.authentication.client-token", hostToken);
    }

    /** Stops and restarts the Kafka broker, keeping its data (for outage tests). */
    public void stopKafka() {
        runScript("kafka/stop.sh", Map.of("KAFKA_DATA_DIR", kafkaDataDir().toString()));
    }

    /** Starts the Kafka broker again after {@link #stopKafka()}. */
    public void startKafka() {
        runScript("kafka/start.sh", Map.of(
                "KAFKA_PORT", String.valueOf(kafkaPort),
                "KAFKA_CONTROLLER_PORT", String.valueOf(kafkaControllerPort),
                "KAFKA_DATA_DIR", kafkaDataDir().toString()));
    }

    /** Stops PostgreSQL, keeping its data directory (for outage tests). */
    public synchronized void stopPostgres() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop PostgreSQL", e);
        }
    }

    /** Starts PostgreSQL again after {@link #stopPostgres()}, on the same port and data. */
    public synchronized void startPostgres() {
        try {
            postgres = startPostgres(postgresPort);
        } catch (IOException e) {
            throw new UncheckedIOException("could not restart PostgreSQL on port " + postgresPort, e);
        }
    }

    private static EmbeddedPostgres startPostgres(int port) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(WORK.resolve("postgres"))
                .setCleanDataDirectory(false);
        return (port == 0 ? builder : builder.setPort(port)).start();
    }

    /**
     * Stops OpenBao as a crash would. Dev mode keeps everything in memory, so the Transit key is backed up
     * first (made exportable on this throw-away server) to be restored by {@link #startVault()}, as a
     * persistent production Vault would keep it.
     */
    public synchronized void stopVault() {
        VaultAdmin admin = new VaultAdmin(vaultUrl(), vaultRootToken);
        transitKeyBackup = admin.backupTransitKey("apex-plugin-state");
        runScript("vault/stop.sh", vaultEnv());
    }

    /**
     * Starts OpenBao again after {@link #stopVault()} with what a persistent server would still have: the
     * Transit key (all versions) and the host's token (same id, policy apex-host). KV secrets are not kept.
     */
    public synchronized void startVault() {
        runScript("vault/start.sh", vaultEnv());
        VaultAdmin admin = new VaultAdmin(vaultUrl(), vaultRootToken);
        admin.restoreTransitKey("apex-plugin-state", transitKeyBackup);
        admin.recreateToken(hostToken, "apex-host");
    }

    private Path kafkaDataDir() {
        return WORK.resolve("kafka");
    }

    private Map<String, String> vaultEnv() {
        return Map.of(
                "VAULT_PORT", String.valueOf(vaultPort),
                "VAULT_DATA_DIR", WORK.resolve("vault").toString(),
                "VAULT_DEV_ROOT_TOKEN", vaultRootToken);
    }

    private void stop() {
        runQuietly(() -> runScript("kafka/stop.sh", Map.of("KAFKA_DATA_DIR", kafkaDataDir().toString())));
        runQuietly(() -> runScript("vault/stop.sh", vaultEnv()));
        runQuietly(() -> {
            try {
                if (postgres != null) {
                    postgres.close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static void runQuietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            System.err.println("[test-infra] stop step failed: " + e.getMessage());
        }
    }

    /** Runs one of the project's scripts, streaming its output, and fails with the output on a non-zero exit. */
    static void runScript(String script, Map<String, String> env) {
        List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve(script).toString()));
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Path log = WORK.resolve(script.replace('/', '_') + ".log");
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            Process process = pb.start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(script + " did not finish in 5 minutes; see " + log);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(script + " failed (exit " + process.exitValue() + "):\n"
                        + Files.readString(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(script + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(script + " interrupted", e);
        }
    }

    /**
     * A free port below the kernel's ephemeral range (32768 and up on Linux): a port the kernel handed out
     * with {@code new ServerSocket(0)} can be taken by an outgoing connection before the server binds it.
     */
    static int freePort() throws IOException {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = random.nextInt(20000, 32000);
            try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // try another one
            }
        }
        throw new IOException("no free port found between 20000 and 32000 after 200 attempts");
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

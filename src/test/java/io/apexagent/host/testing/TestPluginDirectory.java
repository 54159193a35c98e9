package io.apexagent.host.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The plugin directory that the suite's application scans besides {@code plugins/}: tests write
 * plugins here (with {@link TestPlugins}) and call {@code POST /plugins/rescan}. Emptied once per JVM.
 */
public final class TestPluginDirectory {

    private static final Path DIR = Path.of("target/it-plugins").toAbsolutePath();
    /** The suite's plugin data directories (apex.plugins.data-dir in the test resource): emptied too. */
    private static final Path DATA = Path.of("target/plugin-data").toAbsolutePath();
    private static boolean prepared;

    private TestPluginDirectory() {
    }

    /** @return the directory, created empty on first use */
    public static synchronized Path path() {
        if (!prepared) {
            try {
                for (Path dir : new Path[] {DIR, DATA}) {
                    if (Files.exists(dir)) {
                        try (Stream<Path> walk = Files.walk(dir)) {
                            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                                Files.delete(p);
                            }
                        }
                    }
                }
                Files.createDirectories(DIR);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare " + DIR, e);
            }
            prepared = true;
        }
        return DIR;
    }
}

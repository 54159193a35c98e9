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
    private static boolean prepared;

    private TestPluginDirectory() {
    }

    /** @return the directory, created empty on first use */
    public static synchronized Path path() {
        if (!prepared) {
            try {
                if (Files.exists(DIR)) {
                    try (Stream<Path> walk = Files.walk(DIR)) {
                        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                            Files.delete(p);
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

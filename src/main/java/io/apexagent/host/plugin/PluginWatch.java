package io.apexagent.host.plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.apexagent.host.config.ApexConfig;
import io.apexagent.host.plugin.discovery.PluginDirectoryWatcher;

/** Watches every configured plugin directory (debounced) while {@code apex.plugins.watch} is on. */
final class PluginWatch implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PluginWatch.class);

    private final List<PluginDirectoryWatcher> watchers = new ArrayList<>();

    PluginWatch(ApexConfig config, Consumer<PluginDirectoryWatcher.Change> onChange) {
        for (String dir : config.plugins().dirs()) {
            Path path = Path.of(dir);
            if (!Files.isDirectory(path)) {
                LOG.warnf("not watching %s: it is not a directory (apex.plugins.dirs)", path.toAbsolutePath());
                continue;
            }
            try {
                watchers.add(PluginDirectoryWatcher.start(path, config.plugins().watchDebounce(), onChange,
                        e -> LOG.warnf("watching %s failed: %s", path, e.getMessage())));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot watch plugin directory " + path.toAbsolutePath(), e);
            }
        }
    }

    @Override
    public void close() {
        for (PluginDirectoryWatcher w : watchers) {
            try {
                w.close();
            } catch (IOException e) {
                LOG.warnf("closing the watcher failed: %s", e.getMessage());
            }
        }
    }
}

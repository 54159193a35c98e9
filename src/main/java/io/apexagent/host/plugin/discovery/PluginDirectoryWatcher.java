package io.apexagent.host.plugin.discovery;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.apexagent.host.concurrent.DaemonThreads;

/**
 * Watches one plugin directory and reports, per direct sub-folder, that a plugin folder was added, changed or
 * removed, once its files have been quiet for the debounce period (so a copy in progress yields one event).
 * Watches two levels below the directory ({@code <folder>/} and {@code <folder>/<version or lib>/}). Hidden
 * folders are ignored, as by {@link PluginScanner}. Callbacks run on one background thread, in order; a
 * callback's exception goes to the error handler. Close it to stop; thread-safe.
 */
public final class PluginDirectoryWatcher implements Closeable {

    /** What happened to a plugin folder. */
    public enum ChangeKind { ADDED, CHANGED, REMOVED }

    /**
     * One debounced change.
     *
     * @param folder the direct sub-folder of the watched directory
     * @param kind   what happened to it
     */
    public record Change(Path folder, ChangeKind kind) {
    }

    private final Path directory;
    private final Duration debounce;
    private final Consumer<Change> listener;
    private final Consumer<Exception> errorHandler;
    private final WatchService watchService;
    private final ScheduledExecutorService scheduler;
    private final Thread watcherThread;
    /** Touched only on the scheduler thread. */
    private final Set<Path> known = new HashSet<>();
    /** Touched only on the scheduler thread. */
    private final Map<Path, ScheduledFuture<?>> pending = new HashMap<>();
    private volatile boolean closed;

    private PluginDirectoryWatcher(Path directory, Duration debounce, Consumer<Change> listener,
            Consumer<Exception> errorHandler) throws IOException {
        this.directory = directory.toAbsolutePath().normalize();
        this.debounce = debounce;
        this.listener = listener;
        this.errorHandler = errorHandler;
        this.watchService = this.directory.getFileSystem().newWatchService();
        this.scheduler = DaemonThreads.timer("plugin-directory-debounce");
        known.addAll(pluginFolders());
        register(this.directory, 0);
        this.watcherThread = DaemonThreads.thread("plugin-directory-watcher", this::watch);
        watcherThread.start();
    }

    /**
     * Starts watching.
     *
     * @param directory    an existing plugin directory
     * @param debounce     quiet period before a folder's change is reported, e.g. 500 ms
     * @param listener     receives each change
     * @param errorHandler receives failures of the listener or of the watch itself
     * @throws IOException when the directory cannot be watched
     */
    public static PluginDirectoryWatcher start(Path directory, Duration debounce, Consumer<Change> listener,
            Consumer<Exception> errorHandler) throws IOException {
        return new PluginDirectoryWatcher(directory, debounce, listener, errorHandler);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        watchService.close();
        scheduler.shutdownNow();
    }

    private void watch() {
        try {
            while (true) {
                WatchKey key = watchService.take();
                Path watched = (Path) key.watchable();
                for (WatchEvent<?> event : key.pollEvents()) {
                    onEvent(watched, event);
                }
                key.reset();
            }
        } catch (ClosedWatchServiceException e) {
            // close() was called: the normal way out of take().
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void onEvent(Path watched, WatchEvent<?> event) {
        if (event.kind() == OVERFLOW) {
            // Events were lost: re-examine every folder we know of or can see.
            submit(() -> {
                Set<Path> all = new HashSet<>(known);
                all.addAll(pluginFolders());
                all.forEach(this::touch);
            });
            return;
        }
        Path changed = watched.resolve((Path) event.context());
        Path relative = directory.relativize(changed);
        if (relative.getNameCount() == 0 || relative.getName(0).toString().startsWith(".")) {
            return;
        }
        if (event.kind() == ENTRY_CREATE && Files.isDirectory(changed)) {
            register(changed, relative.getNameCount());
        }
        Path folder = directory.resolve(relative.getName(0));
        submit(() -> touch(folder));
    }

    private void submit(Runnable task) {
        try {
            scheduler.execute(task);
        } catch (RejectedExecutionException e) {
            if (!closed) {
                errorHandler.accept(e);
            } // else: an event that raced with close(), no longer wanted
        }
    }

    /** Restarts the quiet period of {@code folder}; runs on the scheduler thread. */
    private void touch(Path folder) {
        ScheduledFuture<?> previous = pending.put(folder,
                scheduler.schedule(() -> report(folder), debounce.toMillis(), TimeUnit.MILLISECONDS));
        if (previous != null) {
            previous.cancel(false);
        }
    }

    private void report(Path folder) {
        pending.remove(folder);
        boolean exists = Files.isDirectory(folder);
        boolean wasKnown = exists ? !known.add(folder) : known.remove(folder);
        ChangeKind kind = exists ? (wasKnown ? ChangeKind.CHANGED : ChangeKind.ADDED)
                : (wasKnown ? ChangeKind.REMOVED : null);
        if (kind == null) {
            return; // created and deleted within one quiet period: nothing to report
        }
        try {
            listener.accept(new Change(folder, kind));
        } catch (RuntimeException e) {
            errorHandler.accept(e);
        }
    }

    /** Registers {@code dir} and, up to two levels below the plugin directory, its sub-folders. */
    private void register(Path dir, int depth) {
        if (depth > 2) {
            return;
        }
        try {
            dir.register(watchService, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
            if (depth < 2) {
                try (Stream<Path> children = Files.list(dir)) {
                    for (Path child : children.filter(Files::isDirectory).toList()) {
                        register(child, depth + 1);
                    }
                }
            }
        } catch (IOException e) {
            if (Files.exists(dir)) {
                errorHandler.accept(e);
            } // else: deleted while being registered, its removal event follows
        }
    }

    private List<Path> pluginFolders() {
        try (Stream<Path> children = Files.list(directory)) {
            return children.filter(Files::isDirectory)
                    .filter(child -> !child.getFileName().toString().startsWith("."))
                    .toList();
        } catch (IOException e) {
            errorHandler.accept(e);
            return List.of();
        }
    }
}

package io.apexagent.host.plugin.loader;

import java.util.Objects;

/**
 * Sets the current thread's context class loader for the span of a try-with-resources block and
 * restores the previous one on {@link #close()}. Confined to the thread that created it: close it on
 * the same thread (try-with-resources does).
 */
public final class LoaderSwap implements AutoCloseable {

    private final Thread thread;
    private final ClassLoader previous;

    private LoaderSwap(ClassLoader loader) {
        this.thread = Thread.currentThread();
        this.previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
    }

    /**
     * @param loader the loader to make current, e.g. a plugin's
     * @return the swap; close it to restore the previous loader
     */
    public static LoaderSwap to(ClassLoader loader) {
        return new LoaderSwap(Objects.requireNonNull(loader, "loader"));
    }

    /** Restores the loader that was current when this swap was made. */
    @Override
    public void close() {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("LoaderSwap closed on " + Thread.currentThread().getName()
                    + " but opened on " + thread.getName() + "; close it on the thread that opened it");
        }
        thread.setContextClassLoader(previous);
    }
}

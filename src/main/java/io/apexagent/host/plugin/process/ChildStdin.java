package io.apexagent.host.plugin.process;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import io.apexagent.host.concurrent.DaemonThreads;

/**
 * The host's writes to a child's stdin, arranged so that a child that stops reading (stopped, wedged, hostile)
 * can hold up no thread but its own callers, and those only until the heartbeat check sees the stalled write
 * and kills it. A caller writes its line itself when nothing is waiting to be written (no hand-off on the
 * usual path); otherwise, and always for {@link #enqueue}d lines (the heartbeat timer's pings), the line waits
 * in a queue that the connection's own writer thread drains, in order. Unwritten lines are bounded in bytes: a
 * child that leaves more unread is a fault, not host memory. Thread-safe.
 */
final class ChildStdin implements AutoCloseable {

    private static final byte[] END = new byte[0];

    private final OutputStream out;
    private final long maxUnwrittenBytes;
    private final Consumer<IOException> onWriteError;
    private final ReentrantLock writing = new ReentrantLock();
    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    /** Bytes handed to this stdin and not yet written; counts a line the writer took but has not written. */
    private final AtomicLong unwritten = new AtomicLong();
    private volatile long writeStarted;
    private volatile boolean inWrite;

    /**
     * @param threadName        name of the writer thread (a daemon)
     * @param maxUnwrittenBytes how much may wait for a child that does not read
     * @param onWriteError      told once of a failed write (a broken pipe: the child is gone)
     */
    ChildStdin(String threadName, OutputStream out, long maxUnwrittenBytes, Consumer<IOException> onWriteError) {
        this.out = out;
        this.maxUnwrittenBytes = maxUnwrittenBytes;
        this.onWriteError = onWriteError;
        DaemonThreads.thread(threadName, this::drainForEver).start();
    }

    /**
     * Writes a line (without its newline) on the caller's thread when nothing waits before it, else queues it.
     *
     * @return false when more than the bound would be left unwritten: the child has stopped reading
     */
    boolean write(byte[] line) {
        if (!reserve(line)) {
            return false;
        }
        if (writing.tryLock()) {
            try {
                if (unwritten.get() == line.length + 1L) { // only this line: nothing queued may go after it
                    writeLine(line);
                    return true;
                }
            } catch (IOException e) {
                onWriteError.accept(e);
                return true;
            } finally {
                writing.unlock();
            }
        }
        queue.add(line);
        return true;
    }

    /**
     * Queues a line for the writer thread; the caller never blocks (for the timer thread shared by every child).
     *
     * @return false when more than the bound would be left unwritten
     */
    boolean enqueue(byte[] line) {
        if (!reserve(line)) {
            return false;
        }
        queue.add(line);
        return true;
    }

    /** @return nanoseconds the write under way has waited for the child to read, or 0 when none waits */
    long stalledNanos() {
        return inWrite ? System.nanoTime() - writeStarted : 0;
    }

    /** Closes stdin after the lines already handed over (the child exits at end of input). */
    @Override
    public void close() {
        queue.add(END);
    }

    private boolean reserve(byte[] line) {
        long size = line.length + 1L;
        if (unwritten.addAndGet(size) > maxUnwrittenBytes) {
            unwritten.addAndGet(-size);
            return false;
        }
        return true;
    }

    private void drainForEver() {
        try {
            while (true) {
                byte[] line = queue.take();
                writing.lock();
                try {
                    if (line == END) {
                        out.close();
                        return;
                    }
                    writeLine(line);
                } finally {
                    writing.unlock();
                }
            }
        } catch (IOException e) {
            onWriteError.accept(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Holds {@link #writing}. */
    private void writeLine(byte[] line) throws IOException {
        writeStarted = System.nanoTime();
        inWrite = true;
        try {
            out.write(line);
            out.write('\n');
            out.flush();
        } finally {
            inWrite = false;
            unwritten.addAndGet(-(line.length + 1L));
        }
    }
}

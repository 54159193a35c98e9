package io.apexagent.host.plugin.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.apexagent.host.concurrent.DaemonThreads;
import io.apexagent.host.plugin.process.child.Wire;
import io.apexagent.plugin.PluginExecutionException;

/**
 * The host's end of one child process: writes requests on its stdin, reads its stdout on a thread of its
 * own and routes each message to the call waiting for its {@code id}, forwards its stderr to the host log,
 * and pings it. The first fault — exit, silence beyond the heartbeat timeout, an oversized or garbage line,
 * a broken pipe, a stdin the child stopped reading ({@link ChildStdin}) — kills the child, fails every waiting call with the reason, and is reported once to
 * {@code onFault} (unless the host closed the connection itself). Messages the child starts itself
 * ({@code publish}, {@code call}) go to {@code onRequest}: their ids are the child's own, so they never reach
 * the calls waiting here. Thread-safe.
 */
final class ChildConnection implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ChildConnection.class);
    /** Lines a child may leave unread on its stdin before it counts as no longer reading (a fault). */
    static final long MAX_UNREAD_BYTES = 16L << 20;
    private static final byte[] PING = Wire.bytes(Map.of("type", "ping"));

    /** Receives the messages of one call until it returns true (the call is over). */
    interface Pending {
        boolean onMessage(Map<String, Object> message);

        void onFault(RuntimeException fault);
    }

    private final String pluginId;
    private final Process process;
    private final ChildStdin stdin;
    private final Consumer<String> onFault;
    private final Consumer<Map<String, Object>> onRequest;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicBoolean over = new AtomicBoolean();
    private volatile boolean closing;
    private volatile long lastHeard = System.nanoTime();
    private volatile String fault;
    private ScheduledFuture<?> heartbeat;

    ChildConnection(String pluginId, Process process, Consumer<String> onFault,
            Consumer<Map<String, Object>> onRequest) {
        this.pluginId = pluginId;
        this.process = process;
        this.stdin = new ChildStdin("plugin-" + pluginId + "-stdin", process.getOutputStream(), MAX_UNREAD_BYTES,
                this::writeFailed);
        this.onFault = onFault;
        this.onRequest = onRequest;
    }

    /** Starts the reader threads and the heartbeat. */
    void start(int maxLineBytes, Duration interval, Duration timeout) {
        DaemonThreads.thread("plugin-" + pluginId + "-stdout",
                () -> readMessages(new LineReader(process.getInputStream(), maxLineBytes))).start();
        DaemonThreads.thread("plugin-" + pluginId + "-stderr", this::forwardLog).start();
        long timeoutNanos = timeout.toNanos();
        heartbeat = ChildProcesses.TIMER.scheduleAtFixedRate(() -> ping(timeoutNanos), interval.toMillis(),
                interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return a new request id, unique on this connection */
    String nextId() {
        return "r" + ids.incrementAndGet();
    }

    /** Sends a request and routes the answers with its {@code id} to {@code call}. */
    void call(String id, Map<String, Object> request, Pending call) {
        String reason = fault;
        if (reason != null) {
            call.onFault(faultError(reason));
            return;
        }
        pending.put(id, call);
        if (fault != null) {
            forget(id); // the child died between the check and the put: the fault may have missed this call
            call.onFault(faultError(fault));
            return;
        }
        send(request);
    }

    /** Drops a call (cancelled or finished) without telling the child. */
    void forget(String id) {
        pending.remove(id);
    }

    /** Sends a message that expects no answer; a broken pipe, or a child that stopped reading, is a fault. */
    void send(Map<String, Object> message) {
        write(Wire.bytes(message));
    }

    /**
     * Sends a message unless it serializes to more than {@code maxBytes}; a broken pipe is a fault.
     *
     * @return false when the message was too large and nothing was sent
     */
    boolean sendAtMost(Map<String, Object> message, int maxBytes) {
        byte[] line = Wire.bytes(message);
        if (line.length > maxBytes) {
            return false;
        }
        write(line);
        return true;
    }

    private void write(byte[] line) {
        if (!stdin.write(line)) {
            fault(unread());
        }
    }

    private static String unread() {
        return "stopped reading its stdin (more than " + (MAX_UNREAD_BYTES >> 20) + " MiB unread)";
    }

    /**
     * A broken pipe usually means the child just died: its exit code is the better reason, so the fault waits
     * briefly (without blocking the writer) for the exit before it falls back to the write error.
     */
    private void writeFailed(IOException e) {
        process.onExit()
                .completeOnTimeout(process, 2, TimeUnit.SECONDS)
                .thenRun(() -> fault(process.isAlive() ? "could not be written to (" + e.getMessage() + ")"
                        : "exited with code " + process.exitValue()));
    }

    /** @return why the child was stopped, or null while it runs */
    String fault() {
        return fault;
    }

    /** @return the child's process id */
    long pid() {
        return process.pid();
    }

    /** Kills the child for a reason: waiting calls fail with it, and {@code onFault} hears it. */
    void fault(String reason) {
        if (!over.compareAndSet(false, true)) {
            return;
        }
        fault = reason;
        stopProcess(Duration.ZERO);
        RuntimeException error = faultError(reason);
        List<Pending> calls = List.copyOf(pending.values());
        pending.clear();
        calls.forEach(c -> c.onFault(error));
        if (!closing) {
            LOG.errorf("plugin %s: child process %d %s", pluginId, process.pid(), reason);
            onFault.accept(reason);
        }
    }

    /** Ends the child: closes its stdin (it exits on end of input), then kills it if it lingers. */
    @Override
    public void close() {
        closing = true;
        if (over.compareAndSet(false, true)) {
            fault = "was stopped by the host";
            stopProcess(Duration.ofSeconds(2));
            List<Pending> calls = List.copyOf(pending.values());
            pending.clear();
            calls.forEach(c -> c.onFault(faultError(fault)));
        }
    }

    private void stopProcess(Duration grace) {
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        if (grace.isZero()) {
            process.destroyForcibly(); // first: a write blocked on a child that does not read fails and lets go
        }
        stdin.close(); // end of input once the lines already handed over are written: the child exits
        try {
            if (!grace.isZero() && process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        ChildProcesses.forget(process);
    }

    private PluginExecutionException faultError(String reason) {
        return new PluginExecutionException(pluginId, "plugin " + pluginId + ": its process " + process.pid() + " "
                + reason, null);
    }

    private void readMessages(LineReader reader) {
        try {
            for (String line = reader.next(); line != null; line = reader.next()) {
                lastHeard = System.nanoTime();
                if (!line.isBlank()) {
                    route(Wire.parse(line));
                }
            }
            fault(exitReason());
        } catch (LineReader.OversizedLineException e) {
            fault(e.getMessage());
        } catch (IllegalArgumentException e) {
            fault("wrote a line on stdout that is not a protocol message (" + e.getMessage() + ")");
        } catch (IOException e) {
            fault("could not be read (" + e.getMessage() + ")");
        }
    }

    private void route(Map<String, Object> message) {
        Object type = message.get("type");
        if ("pong".equals(type)) {
            return;
        }
        if ("publish".equals(type) || "call".equals(type)) {
            onRequest.accept(message);
            return;
        }
        Object id = message.get("id");
        Pending call = id == null ? null : pending.get(id.toString());
        if (call == null) {
            LOG.debugf("plugin %s: message for no waiting call (cancelled or timed out): %s", pluginId, type);
            return;
        }
        if (call.onMessage(message)) {
            pending.remove(id.toString());
        }
    }

    private String exitReason() {
        try {
            if (process.waitFor(2, TimeUnit.SECONDS)) {
                return "exited with code " + process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "closed its stdout";
    }

    private void ping(long timeoutNanos) {
        long silent = System.nanoTime() - lastHeard;
        long stalled = stdin.stalledNanos();
        if (silent > timeoutNanos) {
            fault("stopped answering heartbeats (silent for " + TimeUnit.NANOSECONDS.toMillis(silent) + " ms)");
        } else if (stalled > timeoutNanos) {
            fault("stopped reading its stdin (a write has waited " + TimeUnit.NANOSECONDS.toMillis(stalled) + " ms)");
        } else if (!stdin.enqueue(PING)) { // never written on the timer thread, which serves every child
            fault(unread());
        }
    }

    private void forwardLog() {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            for (String line = err.readLine(); line != null; line = err.readLine()) {
                ChildLog.forward(pluginId, line);
            }
        } catch (IOException e) {
            LOG.debugf("plugin %s: stderr of child %d closed: %s", pluginId, process.pid(), e.getMessage());
        }
    }
}

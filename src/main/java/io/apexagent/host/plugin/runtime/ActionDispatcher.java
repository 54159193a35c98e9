package io.apexagent.host.plugin.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.apexagent.host.concurrent.DaemonThreads;
import io.apexagent.host.plugin.InvalidActionParametersException;
import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.host.plugin.loader.PluginCalls;
import io.apexagent.plugin.ActionChunk;
import io.apexagent.plugin.PluginActionNotFoundException;
import io.apexagent.plugin.PluginException;
import io.apexagent.plugin.PluginExecutionException;
import io.apexagent.plugin.PluginTimeoutException;
import io.apexagent.plugin.StreamingPlugin;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Runs one action call on one plugin version as a pipeline of small steps: check the action → validate
 * parameters → run on the plugin's workers with its class loader current, metered against its budgets
 * ({@link CallLimits}) → retry transient errors → time limit → validate the result → translate errors →
 * count faults towards the plugin's circuit breaker. The caller has already admitted the call ({@link InFlightCalls#tryEnter()});
 * the dispatcher releases it when the call ends, however it ends. Stateless and thread-safe.
 */
public final class ActionDispatcher {

    /** Schedules the per-chunk time limits of streams; timer tasks only signal, so one thread serves all. */
    private static final java.util.concurrent.ScheduledExecutorService TIMER =
            DaemonThreads.timer("action-stream-timeouts");

    private static final ClassLoader HOST_LOADER = ActionDispatcher.class.getClassLoader();

    private final ObjectMapper json;
    private final Duration defaultTimeout;
    private final Executor hostExecutor;
    private final CallLimits limits;
    private final boolean resultsOnWorker;

    /**
     * @param hostExecutor where results continue after the plugin emitted them: plugin signals may arrive
     *                     on a thread whose context class loader is the plugin's, which host code (CDI,
     *                     Kafka, Hibernate) must never run under
     * @param limits       budgets, transient retries and circuit breakers
     */
    public ActionDispatcher(ObjectMapper json, Duration defaultTimeout, Executor hostExecutor, CallLimits limits) {
        this(json, defaultTimeout, hostExecutor, limits, true);
    }

    /**
     * @param resultsOnWorker whether the result of a non-streaming call may continue on the plugin worker that
     *                        produced it, once the plugin's code returned (see {@link #execute}); false always
     *                        hands it to {@code hostExecutor}
     */
    public ActionDispatcher(ObjectMapper json, Duration defaultTimeout, Executor hostExecutor, CallLimits limits,
            boolean resultsOnWorker) {
        this.json = json;
        this.defaultTimeout = defaultTimeout;
        this.hostExecutor = new HostLoaderExecutor(hostExecutor, HOST_LOADER);
        this.limits = limits;
        this.resultsOnWorker = resultsOnWorker;
    }

    /**
     * @return the host threads results are handed to (host context class loader); for callers that must not
     *         continue on a plugin's worker, e.g. another plugin's code
     */
    public Executor hostExecutor() {
        return hostExecutor;
    }

    /** Validates a call before it is admitted: the action exists, streams if asked to, and params match. */
    public PluginManifest.Action check(ManagedPlugin plugin, String action, Map<String, Object> params, boolean streaming) {
        PluginManifest.Action declared = plugin.manifest().action(action).orElseThrow(
                () -> new PluginActionNotFoundException(plugin.id(), "plugin " + plugin.id() + " " + plugin.version()
                        + " has no action '" + action + "'; its actions: " + actionNames(plugin), null));
        if (streaming && !declared.streamingSupported()) {
            throw new PluginActionNotFoundException(plugin.id(), "action " + plugin.id() + "." + action
                    + " does not stream (streaming_supported is false); call it without /stream", null);
        }
        if (!plugin.schemas().checksParameters(action)) {
            return declared;
        }
        JsonNode tree = params instanceof JsonParams parsed ? parsed.tree() : json.valueToTree(params);
        List<String> problems = plugin.schemas().checkParameters(action, tree);
        if (!problems.isEmpty()) {
            throw new InvalidActionParametersException(plugin.id(),
                    "parameters of " + plugin.id() + "." + action + " do not match its parameters_schema", problems);
        }
        return declared;
    }

    /**
     * Runs a non-streaming action; a streaming-only action is collected into a list of chunk data. Transient
     * failures are retried; the budgets cover all attempts together.
     *
     * <p>The result is delivered with the host's context class loader, either on a host thread or (when the
     * plugin answered on its worker) on that worker after the plugin's code returned. Subscribers must not block
     * and should hand longer work on: REST resumes on its own event loop, the Kafka path sends on the
     * producer's thread. Code of another plugin must not continue there: see {@link #hostExecutor()}.
     */
    public Uni<Object> execute(ManagedPlugin plugin, String action, Map<String, Object> params) {
        CallMeter meter = limits.meter(plugin, action);
        Uni<Object> call = PluginCalls.uni(plugin.loaded(), p -> nonNull(plugin, p.executeAction(action, params)))
                .runSubscriptionOn(meter);
        return startedAtOnce(meter.guard(limits.retryTransient(call, limits.transientAttempts(plugin.manifest().limits()))))
                .ifNoItem().after(timeoutOf(plugin)).on(limits.timeouts()).failWith(() -> timeout(plugin, action))
                .emitOn(new ResultHandOff(meter, hostExecutor, HOST_LOADER, resultsOnWorker))
                .invoke(result -> checkResult(plugin, action, result))
                .onFailure().transform(e -> counted(plugin, meter, translate(plugin, action, e)))
                .onTermination().invoke(() -> ended(plugin, meter));
    }

    /**
     * Signals the subscription downstream at once, so that the time limit starts with the call: a call
     * subscribed on the plugin's workers signals it only once the plugin's code has returned its {@code Uni},
     * which a plugin that blocks there never does.
     */
    private static <T> Uni<T> startedAtOnce(Uni<T> call) {
        return Uni.createFrom().voidItem()
                .chain(() -> call);
    }

    /** Counts a failed call towards its plugin's breaker (one operator where a translation and a count took two). */
    private Throwable counted(ManagedPlugin plugin, CallMeter meter, Throwable failure) {
        limits.failed(plugin, meter, failure);
        return failure;
    }

    /** Streams a streaming action's chunks with backpressure; the budgets cover the whole stream. */
    public Multi<ActionChunk> stream(ManagedPlugin plugin, String action, Map<String, Object> params) {
        if (!(plugin.instance() instanceof StreamingPlugin)) {
            plugin.calls().exit();
            return Multi.createFrom().failure(new PluginExecutionException(plugin.id(), "plugin " + plugin.id()
                    + " declares streaming action '" + action + "' but does not implement StreamingPlugin", null));
        }
        CallMeter meter = limits.meter(plugin, action);
        Multi<ActionChunk> chunks = PluginCalls.multi(plugin.loaded(),
                p -> nonNull(plugin, ((StreamingPlugin) p).streamAction(action, params)));
        Multi<ActionChunk> timed = DemandTimeout.apply(meter.guard(meter.subscribedOnWorkers(chunks)),
                timeoutOf(plugin), TIMER, () -> timeout(plugin, action));
        return timed
                .emitOn(hostExecutor)
                .invoke(chunk -> checkChunk(plugin, action, chunk))
                .onFailure().transform(e -> translate(plugin, action, e))
                .onFailure().invoke(e -> limits.failed(plugin, meter, e))
                .onTermination().invoke(() -> ended(plugin, meter));
    }

    private static void ended(ManagedPlugin plugin, CallMeter meter) {
        meter.close();
        plugin.calls().exit();
    }

    private static <T> T nonNull(ManagedPlugin plugin, T result) {
        if (result == null) {
            throw new PluginExecutionException(plugin.id(), "plugin " + plugin.id()
                    + " returned null instead of a Uni/Multi", null);
        }
        return result;
    }

    /** For a streaming action, returns_schema describes each chunk's data. */
    private void checkChunk(ManagedPlugin plugin, String action, ActionChunk chunk) {
        if (!plugin.schemas().checksResult(action)) {
            return;
        }
        List<String> problems = plugin.schemas().checkResult(action, json.valueToTree(chunk.data()));
        if (!problems.isEmpty()) {
            throw new PluginExecutionException(plugin.id(), "a chunk of " + plugin.id() + "." + action
                    + " does not match its returns_schema: " + String.join("; ", problems), null);
        }
    }

    private void checkResult(ManagedPlugin plugin, String action, Object result) {
        if (!plugin.schemas().checksResult(action)) {
            return;
        }
        boolean streaming = plugin.manifest().action(action).map(PluginManifest.Action::streamingSupported).orElse(false);
        if (streaming && result instanceof List<?> chunks) {
            chunks.forEach(data -> checkChunk(plugin, action, ActionChunk.of(data)));
            return;
        }
        List<String> problems = plugin.schemas().checkResult(action, json.valueToTree(result));
        if (!problems.isEmpty()) {
            throw new PluginExecutionException(plugin.id(), "result of " + plugin.id() + "." + action
                    + " does not match its returns_schema: " + String.join("; ", problems), null);
        }
    }

    private Duration timeoutOf(ManagedPlugin plugin) {
        long ms = plugin.manifest().limits().timeoutMs();
        return ms > 0 ? Duration.ofMillis(ms) : defaultTimeout;
    }

    private PluginTimeoutException timeout(ManagedPlugin plugin, String action) {
        return new PluginTimeoutException(plugin.id(), "action " + plugin.id() + "." + action + " did not answer within "
                + timeoutOf(plugin).toMillis() + " ms (limits.timeout_ms)", null);
    }

    static Throwable translate(ManagedPlugin plugin, String action, Throwable e) {
        if (e instanceof PluginException) {
            return e;
        }
        Throwable linkage = PluginCalls.translateLinkageError(e, plugin.manifest());
        if (linkage != e) {
            return linkage;
        }
        if (e instanceof StackOverflowError) {
            return new PluginExecutionException(plugin.id(), "action " + plugin.id() + "." + action
                    + " ran out of stack (StackOverflowError: recursion too deep or endless); the plugin keeps serving", e);
        }
        return new PluginExecutionException(plugin.id(), "action " + plugin.id() + "." + action + " failed: " + e, e);
    }

    private static String actionNames(ManagedPlugin plugin) {
        return plugin.manifest().actions().stream().map(PluginManifest.Action::name).toList().toString();
    }
}

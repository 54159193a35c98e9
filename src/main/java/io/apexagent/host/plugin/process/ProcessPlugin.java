package io.apexagent.host.plugin.process;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jboss.logging.Logger;

import io.apexagent.host.config.ApexConfig;
import io.apexagent.host.plugin.process.child.Wire;
import io.apexagent.plugin.ActionChunk;
import io.apexagent.plugin.ActionDescriptor;
import io.apexagent.plugin.PluginContext;
import io.apexagent.plugin.PluginInitializationException;
import io.apexagent.plugin.PluginMetadata;
import io.apexagent.plugin.StreamingPlugin;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * A plugin that runs in a child process, seen by the host as an ordinary {@link StreamingPlugin}: the
 * manifest, lifecycle, dispatch, timeouts and permissions of in-process plugins apply unchanged. Each call
 * becomes an {@code execute} message with its own id, so calls run concurrently in the child. Streams
 * use a bounded buffer of {@code apex.plugins.process.stream-buffer} chunks: a consumer that falls that
 * far behind fails the call (and the child is told to cancel) rather than letting the host's memory grow.
 * The child reaches the plugin's {@link PluginContext} — the one this proxy received in {@code initialize},
 * with all its checks — through {@code call} messages ({@link ChildServices}); events it subscribed to
 * are forwarded to it ({@link ChildSubscriptions}). Thread-safe.
 */
class ProcessPlugin implements StreamingPlugin {

    private static final Logger LOG = Logger.getLogger(ProcessPlugin.class);

    private final String pluginId;
    private final ChildConnection connection;
    private final Duration initializeTimeout;
    private final int streamBuffer;
    private final int maxReplyBytes;
    private final ChildState state;
    private final ChildSubscriptions subscriptions;
    private final ChildServices services;
    private volatile PluginContext context;
    private volatile boolean childWantsRestore;

    ProcessPlugin(String pluginId, ChildConnection connection, ApexConfig.Process config) {
        this.pluginId = pluginId;
        this.connection = connection;
        this.initializeTimeout = config.initializeTimeout();
        this.streamBuffer = config.streamBuffer();
        this.maxReplyBytes = config.maxReplyBytes();
        this.state = new ChildState(pluginId, config.maxReplyBytes());
        this.subscriptions = new ChildSubscriptions(pluginId, connection, config.maxReplyBytes());
        this.services = new ChildServices(pluginId, connection, Infrastructure.getDefaultExecutor(),
                config.maxChildCalls(), config.maxReplyBytes());
    }

    @Override
    public Uni<Void> initialize(PluginContext context) {
        this.context = context;
        services.bind(new ContextServices(context, state, subscriptions, maxReplyBytes));
        Map<String, Object> message = new HashMap<>();
        message.put("type", "initialize");
        message.put("v", Wire.VERSION);
        message.put("plugin", Wire.plain(context.metadata()));
        message.put("nodeId", context.nodeId());
        message.put("config", context.config());
        message.put("dataDir", context.dataDirectory().toString());
        message.put("permissions", context.grantedPermissions().stream().map(p -> p.manifestName()).sorted().toList());
        return request(message)
                .ifNoItem().after(initializeTimeout).failWith(() -> initializeTimedOut())
                .invoke(this::checkReady)
                .replaceWithVoid();
    }

    @Override
    public PluginMetadata getMetadata() {
        return context.metadata();
    }

    @Override
    public List<ActionDescriptor> getActions() {
        return context.metadata().actions();
    }

    @Override
    public Uni<Object> executeAction(String action, Map<String, Object> params) {
        return request(execute(action, params, false)).map(result -> result.get("data"));
    }

    @Override
    public Multi<ActionChunk> streamAction(String action, Map<String, Object> params) {
        return Multi.createFrom().<ActionChunk>emitter(emitter -> {
            Map<String, Object> message = execute(action, params, true);
            String id = (String) message.get("id");
            emitter.onTermination(() -> {
                connection.forget(id);
                if (connection.fault() == null) {
                    connection.send(Map.of("type", "cancel", "id", id));
                }
            });
            connection.call(id, message, new ChildCalls.StreamCall(pluginId, action, emitter));
        }).onOverflow().buffer(streamBuffer);
    }

    @Override
    public Uni<Void> shutdown() {
        subscriptions.closeAll();
        if (connection.fault() != null) {
            return Uni.createFrom().voidItem();
        }
        return request(new HashMap<>(Map.of("type", "shutdown"))).replaceWithVoid();
    }

    /** Handles a message the child started: a {@code publish} or a {@code call} of a context service. */
    void fromChild(Map<String, Object> message) {
        if ("call".equals(message.get("type"))) {
            services.call(message);
        } else {
            publish(message);
        }
    }

    /** @return the plugin's state as the host holds it */
    ChildState state() {
        return state;
    }

    /** Publishes an event the child sent, through the context (which checks event_publish). */
    private void publish(Map<String, Object> message) {
        PluginContext c = context;
        Object type = message.get("eventType");
        if (c == null || !(type instanceof String eventType)) {
            LOG.warnf("plugin %s: ignored a publish message without eventType or before initialize", pluginId);
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> data = message.get("data") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        try {
            c.events().publish(eventType, data).subscribe().with(ok -> { },
                    failure -> LOG.warnf("plugin %s: event %s not published: %s", pluginId, eventType, failure));
        } catch (RuntimeException e) {
            LOG.warnf("plugin %s: event %s refused: %s", pluginId, eventType, e.getMessage());
        }
    }

    private Map<String, Object> execute(String action, Map<String, Object> params, boolean stream) {
        Map<String, Object> message = new HashMap<>();
        message.put("type", "execute");
        message.put("id", connection.nextId());
        message.put("action", action);
        message.put("params", params);
        message.put("stream", stream);
        return message;
    }

    private Uni<Map<String, Object>> request(Map<String, Object> message) {
        return Uni.createFrom().<Map<String, Object>>emitter(emitter -> {
            String id = message.containsKey("id") ? (String) message.get("id") : connection.nextId();
            message.put("id", id);
            emitter.onTermination(() -> connection.forget(id));
            connection.call(id, message, new ChildCalls.SingleCall(pluginId, String.valueOf(message.get(
                    message.containsKey("action") ? "action" : "type")), emitter));
        });
    }

    /**
     * Sends restored state to a child that asked for it ({@code "features": ["restore"]} in {@code ready}) and
     * waits for its answer: called on the host's lifecycle thread, where waiting is allowed.
     */
    void sendRestoredState(Map<String, Object> restored) {
        if (!childWantsRestore) {
            return;
        }
        Map<String, Object> message = new HashMap<>();
        message.put("type", "restore");
        message.put("state", restored);
        request(message).await().atMost(initializeTimeout);
    }

    private void checkReady(Map<String, Object> ready) {
        childWantsRestore = ready.get("features") instanceof List<?> features && features.contains("restore");
        Object version = ready.get("v");
        if (!(version instanceof Number n) || n.intValue() != Wire.VERSION) {
            connection.fault("speaks protocol version " + version + ", the host speaks " + Wire.VERSION);
            throw new PluginInitializationException(pluginId, "plugin " + pluginId + ": child speaks protocol version "
                    + version + ", the host speaks " + Wire.VERSION + "; update its SDK", null);
        }
        Object actions = ready.get("actions");
        if (actions instanceof List<?> offered) {
            Set<Object> names = Set.copyOf(offered);
            List<String> missing = context.metadata().actions().stream().map(ActionDescriptor::name)
                    .filter(a -> !names.contains(a)).toList();
            if (!missing.isEmpty()) {
                throw new PluginInitializationException(pluginId, "plugin " + pluginId + ": the manifest declares "
                        + "actions " + missing + " that its code does not offer (it offers " + offered + ")", null);
            }
        }
    }

    private PluginInitializationException initializeTimedOut() {
        connection.fault("did not answer initialize within " + initializeTimeout.toMillis()
                + " ms (apex.plugins.process.initialize-timeout)");
        return new PluginInitializationException(pluginId, "plugin " + pluginId + ": its process did not answer "
                + "initialize within " + initializeTimeout.toMillis() + " ms (apex.plugins.process.initialize-timeout)"
                + "; it was killed", null);
    }
}

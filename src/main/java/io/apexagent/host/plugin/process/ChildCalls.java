package io.apexagent.host.plugin.process;

import java.util.Map;

import io.apexagent.plugin.ActionChunk;
import io.apexagent.plugin.PluginActionNotFoundException;
import io.apexagent.plugin.PluginException;
import io.apexagent.plugin.PluginExecutionException;
import io.apexagent.plugin.PluginTransientException;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.smallrye.mutiny.subscription.UniEmitter;

/** The two kinds of call waiting on a child: one answer, or a stream of chunks ended by a result. */
final class ChildCalls {

    private ChildCalls() {
    }

    /** A call answered by one {@code result} or {@code error} message. */
    record SingleCall(String pluginId, String what, UniEmitter<? super Map<String, Object>> emitter)
            implements ChildConnection.Pending {
        @Override
        public boolean onMessage(Map<String, Object> message) {
            switch (String.valueOf(message.get("type"))) {
                case "result", "ready" -> emitter.complete(message);
                case "error" -> emitter.fail(error(pluginId, what, message));
                default -> emitter.fail(unexpected(pluginId, what, message));
            }
            return true;
        }

        @Override
        public void onFault(RuntimeException fault) {
            emitter.fail(fault);
        }
    }

    /** A streaming call: {@code chunk} messages, then {@code result} (end) or {@code error}. */
    record StreamCall(String pluginId, String action, MultiEmitter<? super ActionChunk> emitter)
            implements ChildConnection.Pending {
        @Override
        public boolean onMessage(Map<String, Object> message) {
            switch (String.valueOf(message.get("type"))) {
                case "chunk" -> {
                    emitter.emit(new ActionChunk(message.get("data"), attributes(message)));
                    return false;
                }
                case "result" -> emitter.complete();
                case "error" -> emitter.fail(error(pluginId, action, message));
                default -> emitter.fail(unexpected(pluginId, action, message));
            }
            return true;
        }

        @Override
        public void onFault(RuntimeException fault) {
            emitter.fail(fault);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> attributes(Map<String, Object> message) {
        return message.get("attributes") instanceof Map<?, ?> m ? (Map<String, String>) m : Map.of();
    }

    /** Maps an {@code error} message to the SDK exception of its {@code error.type}. */
    static PluginException error(String pluginId, String what, Map<String, Object> message) {
        Map<?, ?> error = message.get("error") instanceof Map<?, ?> m ? m : Map.of();
        String type = String.valueOf(error.get("type"));
        String text = "plugin " + pluginId + " (out of process) " + what + ": " + error.get("message");
        return switch (type) {
            case "action_not_found" -> new PluginActionNotFoundException(pluginId, text, null);
            case "transient" -> new PluginTransientException(text);
            default -> new PluginExecutionException(pluginId, text + " [" + type + "]", null);
        };
    }

    private static PluginExecutionException unexpected(String pluginId, String what, Map<String, Object> message) {
        return new PluginExecutionException(pluginId, "plugin " + pluginId + ": answered " + what + " with a '"
                + message.get("type") + "' message, which the protocol does not allow there", null);
    }
}

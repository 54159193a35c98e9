package io.apexagent.host.plugin.process;

import java.io.IOException;
import java.util.Base64;
import java.util.Map;

import io.apexagent.plugin.PluginContext;
import io.apexagent.plugin.PluginFileTooLargeException;
import io.smallrye.mutiny.Uni;

/**
 * The services a child reaches with {@code call} messages, each one a call of the plugin's host-side
 * {@link PluginContext}: the context checks permissions, the operator's policy and paths, and reports
 * refusals as security events, exactly as for an in-process plugin. Nothing here grants more. Calls may
 * block (files): the caller runs them on a worker. Thread-safe.
 */
final class ContextServices {

    /** One service: arguments of the call in, the reply's {@code data} out. */
    @FunctionalInterface
    interface Service {
        Uni<Object> call(Map<String, Object> args) throws IOException;
    }

    private final PluginContext context;
    private final ChildState state;
    private final ChildSubscriptions subscriptions;
    private final int maxReplyBytes;

    /** @param maxReplyBytes the longest reply a child gets; a file read is refused before reading when it cannot fit */
    ContextServices(PluginContext context, ChildState state, ChildSubscriptions subscriptions, int maxReplyBytes) {
        this.context = context;
        this.state = state;
        this.subscriptions = subscriptions;
        this.maxReplyBytes = maxReplyBytes;
    }

    /** @return the service of that name, or null */
    Service named(String name) {
        return switch (name) {
            case "events.subscribe" -> a -> done(() -> subscriptions.subscribe(context, text(a, "subscription"),
                    text(a, "eventType")));
            case "events.unsubscribe" -> a -> item(subscriptions.unsubscribe(text(a, "subscription")));
            case "state.get" -> a -> item(state.get(context, optionalText(a, "key")));
            case "state.list" -> a -> item(state.keys(context));
            case "state.put" -> a -> state.put(context, optionalText(a, "key"), value(a)).replaceWith((Object) null);
            case "state.delete" -> a -> state.delete(context, text(a, "key")).replaceWith((Object) null);
            case "credentials.get" -> a -> context.credentials().get(text(a, "name")).map(v -> v.orElse(null));
            case "plugins.invoke" -> a -> context.plugins().invoke(text(a, "plugin"), text(a, "action"),
                    object(a, "params"));
            case "files.read" -> a -> item(Base64.getEncoder().encodeToString(readFitting(text(a, "path"), a)));
            case "files.write" -> a -> done(() -> context.files().write(text(a, "path"), base64(a)));
            case "files.delete" -> a -> item(context.files().delete(text(a, "path")));
            case "files.list" -> a -> item(context.files().list(optionalText(a, "path")));
            case "http.send" -> a -> HttpService.send(context, a);
            default -> null;
        };
    }

    /**
     * Reads a file whose base64 text can fit a reply, and no larger than the child's own limit ({@code maxBytes}, if
     * given); a larger one is refused from its size, unread.
     */
    private byte[] readFitting(String path, Map<String, Object> args) throws IOException {
        long fits = maxReplyBytes / 4 * 3L;
        Object asked = args.get("maxBytes");
        if (asked != null && !(asked instanceof Number)) {
            throw new IllegalArgumentException("argument 'maxBytes' must be a number");
        }
        long limit = asked == null ? fits : Math.min(fits, Math.max(0, ((Number) asked).longValue()));
        try {
            return context.files().read(path, limit);
        } catch (PluginFileTooLargeException e) {
            if (limit < fits) {
                throw e;
            }
            throw new PluginFileTooLargeException(path, e.size(), limit, "as base64 in a reply of at most "
                    + maxReplyBytes + " bytes, apex.plugins.process.max-reply-bytes");
        }
    }

    private Object value(Map<String, Object> args) {
        if (args.get("key") != null) {
            return args.get("value");
        }
        if (args.get("state") == null) {
            throw new IllegalArgumentException("state.put needs 'key' and 'value', or 'state' (the whole state)");
        }
        return object(args, "state");
    }

    private static byte[] base64(Map<String, Object> args) {
        try {
            return Base64.getDecoder().decode(text(args, "data"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("argument 'data' is not base64: " + e.getMessage(), e);
        }
    }

    private interface Step {
        void run() throws IOException;
    }

    private static Uni<Object> done(Step step) throws IOException {
        step.run();
        return Uni.createFrom().nullItem();
    }

    private static Uni<Object> item(Object value) {
        return Uni.createFrom().item(value);
    }

    private static String text(Map<String, Object> args, String name) {
        String value = optionalText(args, name);
        if (value == null) {
            throw new IllegalArgumentException("argument '" + name + "' is missing");
        }
        return value;
    }

    private static String optionalText(Map<String, Object> args, String name) {
        Object value = args.get(name);
        if (value != null && !(value instanceof String)) {
            throw new IllegalArgumentException("argument '" + name + "' must be a string");
        }
        return (String) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> args, String name) {
        Object value = args.get(name);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("argument '" + name + "' must be an object");
        }
        return (Map<String, Object>) value;
    }
}

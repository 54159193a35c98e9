package io.apexagent.host.plugin.process.child;

import java.io.IOException;
import java.net.URI;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.apexagent.plugin.PluginHttp;
import io.apexagent.plugin.PluginResourceLimitException;
import io.smallrye.mutiny.Uni;

/**
 * HTTP for a plugin in a child JVM: the host sends each request with the plugin's own {@code PluginHttp}
 * (network_access, the operator's allowed hosts, redirect checks, timeout and body limit), so a child gets
 * no network the in-process plugin would not. Bodies travel base64-encoded; a reply is bounded by the host's
 * {@code max-reply-bytes}. Thread-safe.
 */
final class ChildHttp implements PluginHttp {

    private final String pluginId;
    private final HostCalls host;

    ChildHttp(String pluginId, HostCalls host) {
        this.pluginId = pluginId;
        this.host = host;
    }

    @Override
    public Uni<Response> send(Request request) {
        Map<String, Object> args = new HashMap<>();
        args.put("method", request.method());
        args.put("uri", request.uri().toString());
        args.put("headers", request.headers());
        args.put("body", Base64.getEncoder().encodeToString(request.body()));
        if (request.timeout() != null) {
            args.put("timeoutMs", request.timeout().toMillis());
        }
        args.put("maxBodyBytes", request.maxBodyBytes());
        args.put("followRedirects", request.followRedirects());
        return host.call("http.send", args).map(ChildHttp::response)
                .onFailure(HostCallException.class).transform(failure -> translate(request, (HostCallException) failure));
    }

    @SuppressWarnings("unchecked")
    private static Response response(Object data) {
        Map<String, Object> reply = (Map<String, Object>) data;
        return new Response(((Number) reply.get("status")).intValue(), (Map<String, List<String>>) reply.get("headers"),
                Base64.getDecoder().decode((String) reply.get("body")), URI.create((String) reply.get("uri")));
    }

    /** The SDK's contract: a body over the limit is a resource limit, a network failure an {@link IOException}. */
    private Throwable translate(Request request, HostCallException failure) {
        return switch (failure.errorType()) {
            case "resource_limit" -> new PluginResourceLimitException(pluginId, "http.max_body_bytes",
                    request.maxBodyBytes(), -1, failure.getMessage());
            case "io" -> new IOException(failure.getMessage(), failure);
            default -> failure;
        };
    }
}

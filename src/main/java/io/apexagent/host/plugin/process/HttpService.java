package io.apexagent.host.plugin.process;

import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.apexagent.plugin.PluginContext;
import io.apexagent.plugin.PluginHttp;
import io.smallrye.mutiny.Uni;

/**
 * The {@code http.send} context service: a child's HTTP request, sent by the plugin's host-side
 * {@link PluginHttp}, so network_access, the operator's allowed hosts (every redirect hop included), the
 * timeout and the body limit apply as for an in-process plugin. Bodies travel base64-encoded. Stateless.
 */
final class HttpService {

    private HttpService() {
    }

    /** @return the reply's data: {@code status}, {@code headers}, {@code body} (base64) and the final {@code uri} */
    static Uni<Object> send(PluginContext context, Map<String, Object> args) {
        PluginHttp.Request request = request(args);
        return context.http().send(request).map(HttpService::reply);
    }

    static PluginHttp.Request request(Map<String, Object> args) {
        Object method = args.getOrDefault("method", "GET");
        if (!(method instanceof String m) || m.isBlank()) {
            throw new IllegalArgumentException("argument 'method' must be a text such as GET");
        }
        if (!(args.get("uri") instanceof String uri)) {
            throw new IllegalArgumentException("argument 'uri' is missing or not a text");
        }
        return new PluginHttp.Request(m, URI.create(uri), headers(args.get("headers")), body(args.get("body")),
                duration(args.get("timeoutMs")), number(args.get("maxBodyBytes"), "maxBodyBytes"),
                !Boolean.FALSE.equals(args.get("followRedirects")));
    }

    private static Map<String, Object> reply(PluginHttp.Response response) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("status", response.status());
        data.put("headers", response.headers());
        data.put("body", Base64.getEncoder().encodeToString(response.body()));
        data.put("uri", response.uri().toString());
        return data;
    }

    private static Map<String, List<String>> headers(Object value) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (value == null) {
            return headers;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("argument 'headers' must be an object of name → text or list of texts");
        }
        map.forEach((name, values) -> {
            if (values instanceof String one) {
                headers.put(String.valueOf(name), List.of(one));
            } else if (values instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
                headers.put(String.valueOf(name), list.stream().map(String.class::cast).toList());
            } else {
                throw new IllegalArgumentException("header '" + name + "' must be a text or a list of texts");
            }
        });
        return headers;
    }

    private static byte[] body(Object value) {
        if (value == null) {
            return new byte[0];
        }
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException("argument 'body' must be base64 text");
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("argument 'body' is not base64: " + e.getMessage(), e);
        }
    }

    private static Duration duration(Object millis) {
        long ms = number(millis, "timeoutMs");
        return ms > 0 ? Duration.ofMillis(ms) : null;
    }

    private static long number(Object value, String name) {
        if (value == null) {
            return 0;
        }
        if (!(value instanceof Number n) || n.longValue() < 0) {
            throw new IllegalArgumentException("argument '" + name + "' must be a number ≥ 0");
        }
        return n.longValue();
    }
}

package io.apexagent.plugin;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.smallrye.mutiny.Uni;

/**
 * HTTP(S) requests through the host (network_access): the only network a plugin has when the operator
 * limits it to some hosts, because the host checks every request, and every redirect hop, against those
 * hosts before it connects. Unless the operator allows it, a host that is or resolves to an internal address
 * (loopback, private, link-local such as a cloud metadata service) is refused as well, so a URL that came
 * from a user or a model cannot reach the host's own network. Thread-safe.
 */
public interface PluginHttp {

    /**
     * Sends one request and reads the whole response body, up to a size limit.
     *
     * @return the response (any status, 4xx and 5xx included); fails with {@link PluginSecurityException} when
     *         network_access is not granted or a host or its address is not allowed (nothing is sent then), with
     *         {@link PluginResourceLimitException} when the body is larger than the limit, and with an
     *         {@link java.io.IOException} when the network fails, a host name has no address or the timeout passes
     */
    Uni<Response> send(Request request);

    /**
     * A request. Build one with {@link #get(String)} or {@link #of(String, String)} and the {@code with…} methods.
     *
     * @param method          HTTP method, e.g. {@code GET}
     * @param uri             absolute {@code http} or {@code https} URI
     * @param headers         header name → values (the host sets {@code Host}, {@code Content-Length} and
     *                        {@code Connection} itself)
     * @param body            request body; empty for none
     * @param timeout         for the whole exchange, redirects included; null: the host's default
     * @param maxBodyBytes    largest response body accepted; 0: the host's limit (a larger value is lowered to it)
     * @param followRedirects whether 3xx answers with a {@code Location} are followed (each hop is checked)
     */
    record Request(String method, URI uri, Map<String, List<String>> headers, byte[] body, Duration timeout,
            long maxBodyBytes, boolean followRedirects) {

        public Request {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(uri, "uri");
            method = method.toUpperCase(java.util.Locale.ROOT);
            Map<String, List<String>> copy = new LinkedHashMap<>();
            (headers == null ? Map.<String, List<String>>of() : headers).forEach((k, v) -> copy.put(k, List.copyOf(v)));
            headers = java.util.Collections.unmodifiableMap(copy);
            body = body == null ? new byte[0] : body.clone();
        }

        /** @return a GET of an absolute URI */
        public static Request get(String uri) {
            return of("GET", uri);
        }

        /** @return a request without headers or body, following redirects, with the host's timeout and limit */
        public static Request of(String method, String uri) {
            return new Request(method, URI.create(uri), Map.of(), null, null, 0, true);
        }

        /** @return this request with one more header value */
        public Request withHeader(String name, String value) {
            Map<String, List<String>> more = new LinkedHashMap<>(headers);
            List<String> values = new ArrayList<>(more.getOrDefault(name, List.of()));
            values.add(value);
            more.put(name, values);
            return new Request(method, uri, more, body, timeout, maxBodyBytes, followRedirects);
        }

        /** @return this request with a body */
        public Request withBody(byte[] content) {
            return new Request(method, uri, headers, content, timeout, maxBodyBytes, followRedirects);
        }

        /** @return this request with a UTF-8 text body */
        public Request withBody(String text) {
            return withBody(text.getBytes(StandardCharsets.UTF_8));
        }

        /** @return this request with its own timeout for the whole exchange */
        public Request withTimeout(Duration limit) {
            return new Request(method, uri, headers, body, limit, maxBodyBytes, followRedirects);
        }

        /** @return this request accepting at most {@code bytes} of response body (never more than the host's limit) */
        public Request withMaxBodyBytes(long bytes) {
            return new Request(method, uri, headers, body, timeout, bytes, followRedirects);
        }

        /** @return this request answering a redirect with the 3xx response itself */
        public Request withoutRedirects() {
            return new Request(method, uri, headers, body, timeout, maxBodyBytes, false);
        }

        /** @return the body (a copy) */
        @Override
        public byte[] body() {
            return body.clone();
        }
    }

    /**
     * A response.
     *
     * @param status  HTTP status code
     * @param headers header name → values
     * @param body    the whole body
     * @param uri     where it came from (after redirects)
     */
    record Response(int status, Map<String, List<String>> headers, byte[] body, URI uri) {

        public Response {
            headers = Map.copyOf(headers);
            body = body.clone();
        }

        /** @return the first value of a header, its name compared without case */
        public Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst();
        }

        /** @return the body decoded as UTF-8 */
        public String bodyAsString() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** @return the body (a copy) */
        @Override
        public byte[] body() {
            return body.clone();
        }
    }
}

package io.apexagent.host.plugin.context;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongFunction;

import io.apexagent.host.config.ApexConfig;
import io.apexagent.plugin.PluginHttp;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * One HTTP exchange for {@code context.http()}, on a JDK {@link HttpClient} shared by every plugin. It follows
 * no redirect (the caller checks each hop's host first), uses no proxy, keeps no cookies and sends no
 * credentials of its own, so nothing one plugin does is replayed for another. Checks nothing: callers do.
 * Thread-safe.
 */
public final class HttpTransport {

    /** Looks up a host name's addresses (blocking); tests give names addresses of their choosing. */
    @FunctionalInterface
    public interface NameResolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final HttpClient client;
    private final ApexConfig.Http limits;
    private final NameResolver names;

    /** @param limits size limit, timeouts and redirects ({@code apex.plugins.http.*}) */
    public HttpTransport(ApexConfig.Http limits) {
        this(limits, InetAddress::getAllByName);
    }

    /**
     * @param names resolves host names for the internal-address check; the client itself always uses the JVM's
     *              resolver, whose cache (30 s by default) it shares with {@link InetAddress#getAllByName}
     */
    public HttpTransport(ApexConfig.Http limits, NameResolver names) {
        this.limits = limits;
        this.names = names;
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(limits.connectTimeout())
                .build();
    }

    /** @return the host's limits */
    public ApexConfig.Http limits() {
        return limits;
    }

    /**
     * @return the addresses of a host as written in a URI (a name, an IP literal or a bracketed IPv6 literal),
     *         looked up on a worker thread since a lookup blocks; fails with {@link UnknownHostException}
     */
    Uni<List<InetAddress>> addressesOf(String host) {
        return Uni.createFrom().<List<InetAddress>>emitter(emitter -> {
            try {
                emitter.complete(List.of(names.resolve(host)));
            } catch (UnknownHostException e) {
                emitter.fail(e);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /**
     * Sends one request as it is (no redirect followed).
     *
     * @param timeout  what is left of the exchange's time
     * @param maxBytes largest body accepted
     * @param tooLarge the failure for a larger body, given its size so far
     */
    Uni<PluginHttp.Response> exchange(PluginHttp.Request request, Duration timeout, long maxBytes,
            LongFunction<RuntimeException> tooLarge) {
        return Uni.createFrom().completionStage(() -> client.sendAsync(toJdk(request, timeout),
                CappedBody.handler(maxBytes, tooLarge)))
                .map(r -> new PluginHttp.Response(r.statusCode(), headers(r.headers().map()), r.body(), r.uri()));
    }

    private static HttpRequest toJdk(PluginHttp.Request request, Duration timeout) {
        byte[] body = request.body();
        HttpRequest.Builder b = HttpRequest.newBuilder(request.uri())
                .timeout(timeout)
                .method(request.method(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        request.headers().forEach((name, values) -> values.forEach(v -> b.header(name, v)));
        return b.build();
    }

    private static Map<String, List<String>> headers(Map<String, List<String>> jdk) {
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        jdk.forEach((k, v) -> {
            if (!k.startsWith(":")) { // HTTP/2 pseudo-headers such as :status
                copy.put(k, v);
            }
        });
        return copy;
    }
}

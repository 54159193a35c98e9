package io.apexagent.host.plugin.context;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;
import java.util.regex.Pattern;

import io.apexagent.host.concurrent.DaemonThreads;
import io.apexagent.host.config.ApexConfig;
import io.apexagent.host.security.AllowedHosts;
import io.apexagent.plugin.PluginHttp;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;

/**
 * One HTTP exchange for {@code context.http()}, on a Vert.x client shared by every plugin. It connects to the
 * address its caller checked, never to what a second look-up of the name might give (so a name cannot be
 * re-pointed at an internal address between the check and the connection), while the {@code Host} header, TLS
 * server name and certificate check still use the name. HTTPS speaks HTTP/2 where the server offers it (ALPN), plain
 * HTTP speaks HTTP/1.1. It follows no redirect (the caller checks each hop
 * first), uses no proxy, keeps no cookies and sends no credentials of its own, so nothing one plugin does is
 * replayed for another. Checks nothing: callers do. Thread-safe.
 */
public final class HttpTransport {

    /** Looks up a host name's addresses (blocking); tests give names addresses of their choosing. */
    @FunctionalInterface
    public interface NameResolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** Headers the transport writes itself, refused from a plugin (as the JDK's client refuses them). */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");

    /**
     * Name look-ups block (the JVM's resolver): they get threads of their own, so that a slow DNS server holds neither
     * the event loops nor the worker pool the rest of the host runs on; at most 16 at once, 1,000 more wait, and a
     * look-up beyond those fails at once.
     */
    private static final ExecutorService LOOKUPS = lookupThreads(16, 1000);
    /** Sent when the plugin sets none: some APIs refuse requests without one. */
    static final String USER_AGENT = "apex-plugin-host";
    /** Methods whose request carries a body, so that an empty one is announced as such ({@code Content-Length: 0}). */
    private static final Set<String> WITH_BODY = Set.of("POST", "PUT", "PATCH");
    /** Methods a client may send again when the connection closed under them (RFC 9110, 9.2.2). */
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

    /** An HTTP token (RFC 9110): methods and header names; anything else could split the request. */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private final Vertx vertx;
    private final HttpClient plain;
    /** HTTPS: HTTP/2 when the server offers it (ALPN), else HTTP/1.1. */
    private final HttpClient tls;
    private final ApexConfig.Http limits;
    private final NameResolver names;

    /** @param limits size limit, timeouts and redirects ({@code apex.plugins.http.*}) */
    public HttpTransport(Vertx vertx, ApexConfig.Http limits) {
        this(vertx, limits, InetAddress::getAllByName);
    }

    /** @param names resolves host names; the connection goes to the address it gives */
    public HttpTransport(Vertx vertx, ApexConfig.Http limits, NameResolver names) {
        this(vertx, limits, names, null);
    }

    /**
     * @param trust the certificates HTTPS servers are checked against; null: the JVM's (tests bring their own)
     */
    HttpTransport(Vertx vertx, ApexConfig.Http limits, NameResolver names, TrustOptions trust) {
        this.vertx = vertx;
        this.limits = limits;
        this.names = names;
        // The TLS server name (SNI) and the certificate check use the request's host (a name), while the connection
        // goes to the address given: Vert.x keeps the two apart. No SNI for an IP literal, as RFC 6066 requires.
        HttpClientOptions options = new HttpClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, limits.connectTimeout().toMillis()))
                .setVerifyHost(true)
                .setMaxPoolSize(64)
                .setDecompressionSupported(false);
        if (trust != null) {
            options.setTrustOptions(trust);
        }
        this.plain = vertx.createHttpClient(options);
        this.tls = vertx.createHttpClient(new HttpClientOptions(options).setProtocolVersion(HttpVersion.HTTP_2)
                .setUseAlpn(true).setHttp2MaxPoolSize(8));
    }

    /** @return the host's limits */
    public ApexConfig.Http limits() {
        return limits;
    }

    /**
     * @return the addresses of a host as written in a URI (a name, an IP literal or a bracketed IPv6 literal),
     *         looked up on a thread of the look-ups' own since a look-up blocks; fails with
     *         {@link UnknownHostException}
     */
    Uni<List<InetAddress>> addressesOf(String host) {
        // Subscribed at once (not with runSubscriptionOn), so that the caller's time limit counts the wait for a thread.
        return Uni.createFrom().emitter(emitter -> {
            try {
                LOOKUPS.execute(() -> {
                    try {
                        emitter.complete(List.of(names.resolve(host)));
                    } catch (UnknownHostException e) {
                        emitter.fail(e);
                    }
                });
            } catch (RejectedExecutionException full) {
                emitter.fail(new UnknownHostException(host + " was not looked up: over 1,000 look-ups already wait "
                        + "for the DNS server"));
            }
        });
    }

    private static ExecutorService lookupThreads(int threads, int waiting) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(waiting), DaemonThreads.named("apex-plugin-dns"));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /**
     * Sends one request as it is (no redirect followed) to {@code address}.
     *
     * @param address  where to connect: one of the addresses of the URI's host
     * @param timeout  what is left of the exchange's time
     * @param maxBytes largest body accepted
     * @param tooLarge the failure for a larger body, given its size so far
     */
    Uni<PluginHttp.Response> exchange(PluginHttp.Request request, InetAddress address, Duration timeout,
            long maxBytes, LongFunction<RuntimeException> tooLarge) {
        Uni<PluginHttp.Response> once = exchangeOnce(request, address, timeout, maxBytes, tooLarge);
        // A kept-alive connection the server (or an earlier reset) closed as it was taken from the pool: an
        // idempotent request is sent once more on a new one (RFC 9110, 9.2.2), as browsers and the JDK client do.
        return IDEMPOTENT.contains(request.method())
                ? once.onFailure(HttpTransport::closedConnection).retry().atMost(1)
                : once;
    }

    private static boolean closedConnection(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpClosedException) {
                return true;
            }
        }
        return false;
    }

    private Uni<PluginHttp.Response> exchangeOnce(PluginHttp.Request request, InetAddress address, Duration timeout,
            long maxBytes, LongFunction<RuntimeException> tooLarge) {
        return Uni.createFrom().emitter(emitter -> {
            RequestOptions options;
            try {
                options = options(request, address, timeout);
            } catch (IllegalArgumentException e) {
                emitter.fail(e);
                return;
            }
            AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
            AtomicBoolean settled = new AtomicBoolean();
            // A caller that gave up (its time limit) closes the exchange instead of leaving it to run; if the
            // connection is not there yet, the request is dropped as soon as it is (below), never sent.
            emitter.onTermination(() -> {
                if (settled.compareAndSet(false, true)) {
                    HttpClientRequest open = sent.get();
                    if (open != null) {
                        open.reset();
                    }
                }
            });
            // One Vert.x context for the whole exchange, entered before the first call: every future completes
            // and every response chunk arrives on its thread, in order. The body handlers are thus in place before
            // the first chunk; from a plain thread, a listener could run after chunks that found no handler yet.
            Context context = vertx.getOrCreateContext();
            context.runOnContext(entered -> (Boolean.TRUE.equals(options.isSsl()) ? tls : plain).request(options)
                    .onComplete(opened -> {
                        if (opened.failed()) {
                            failNetwork(request, address, opened.cause(), emitter, settled);
                            return;
                        }
                        HttpClientRequest open = opened.result();
                        sent.set(open);
                        if (settled.get()) {
                            open.reset(); // given up before it was sent: never sent
                            return;
                        }
                        byte[] body = request.body();
                        if (body.length == 0 && WITH_BODY.contains(request.method())) {
                            open.putHeader("content-length", "0");
                        }
                        (body.length == 0 ? open.send() : open.send(Buffer.buffer(body))).onComplete(answered -> {
                            if (answered.succeeded()) {
                                read(request, answered.result(), maxBytes, tooLarge, emitter, settled);
                            } else {
                                failNetwork(request, address, answered.cause(), emitter, settled);
                            }
                        });
                    }));
        });
    }

    private static void failNetwork(PluginHttp.Request request, InetAddress address, Throwable failure,
            UniEmitter<? super PluginHttp.Response> emitter, AtomicBoolean settled) {
        if (settled.compareAndSet(false, true)) {
            emitter.fail(networkFailure(request, address, failure));
        }
    }

    private static RequestOptions options(PluginHttp.Request request, InetAddress address, Duration timeout) {
        if (!TOKEN.matcher(request.method()).matches()) {
            throw new IllegalArgumentException("invalid method \"" + request.method() + "\": an HTTP method is a token");
        }
        if (request.method().equals("CONNECT")) {
            throw new IllegalArgumentException("method CONNECT is not allowed: it would open a tunnel, not send a request");
        }
        URI uri = request.uri();
        int port = AllowedHosts.portOf(uri);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.valueOf(request.method()))
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(address, port)))
                .setHost(uri.getHost()) // an IPv6 literal keeps its brackets, as the Host header needs them
                .setPort(port)
                .setSsl("https".equalsIgnoreCase(uri.getScheme()))
                .setURI(uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery())
                .setFollowRedirects(false)
                // Later than the caller's own time limit, which thus ends the exchange with its HttpTimeoutException.
                .setIdleTimeout(Math.max(1, timeout.toMillis()) + 1000);
        request.headers().forEach((name, values) -> {
            if (!TOKEN.matcher(name).matches()) {
                throw new IllegalArgumentException("invalid header name \"" + name + "\": a header name is a token");
            }
            if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("restricted header name: \"" + name + "\" (the host writes it)");
            }
            for (String value : values) {
                if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("invalid value of header \"" + name + "\": it holds a line "
                            + "break or NUL");
                }
                options.addHeader(name, value);
            }
        });
        if (options.getHeaders() == null || !options.getHeaders().contains("user-agent")) {
            options.addHeader("user-agent", USER_AGENT);
        }
        return options;
    }

    /** Reads the body up to {@code maxBytes}: a larger declared or received body fails and closes the exchange. */
    private static void read(PluginHttp.Request request, HttpClientResponse response, long maxBytes,
            LongFunction<RuntimeException> tooLarge, UniEmitter<? super PluginHttp.Response> emitter,
            AtomicBoolean settled) {
        // A HEAD response announces the length of a body it does not carry.
        String length = request.method().equals("HEAD") ? null : response.getHeader("content-length");
        long declared = length != null && length.matches("[0-9]{1,18}") ? Long.parseLong(length) : -1;
        if (declared > maxBytes) {
            settled.set(true);
            emitter.fail(tooLarge.apply(declared));
            response.exceptionHandler(resetHere -> { }); // the reset below is ours: nothing to report
            response.request().reset();
            return;
        }
        Buffer received = Buffer.buffer();
        response.handler(chunk -> {
            if (settled.get()) {
                return;
            }
            long size = (long) received.length() + chunk.length();
            if (size > maxBytes && settled.compareAndSet(false, true)) {
                emitter.fail(tooLarge.apply(size));
                response.request().reset();
                return;
            }
            received.appendBuffer(chunk);
        });
        response.exceptionHandler(failure -> {
            if (settled.compareAndSet(false, true)) {
                emitter.fail(networkFailure(request, null, failure));
            }
        });
        response.endHandler(done -> {
            if (settled.compareAndSet(false, true)) {
                emitter.complete(new PluginHttp.Response(response.statusCode(), headers(response),
                        received.getBytes(), request.uri()));
            }
        });
    }

    /** Network failures reach the plugin as {@link IOException}s naming the request (Vert.x's are not all). */
    private static Throwable networkFailure(PluginHttp.Request request, InetAddress address, Throwable failure) {
        if (failure instanceof IOException) {
            return failure;
        }
        return new IOException(request.method() + " " + request.uri()
                + (address == null ? "" : " (at " + address.getHostAddress() + ")") + " failed: " + failure.getMessage(),
                failure);
    }

    /** @return the headers under lower-case names (as HTTP/2 writes them), so that children can look them up */
    private static Map<String, List<String>> headers(HttpClientResponse response) {
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        response.headers().forEach(header -> copy.computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT),
                k -> new ArrayList<>()).add(header.getValue()));
        return copy;
    }
}

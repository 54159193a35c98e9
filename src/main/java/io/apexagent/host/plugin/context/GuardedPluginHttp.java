package io.apexagent.host.plugin.context;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executor;

import io.apexagent.host.security.AllowedHosts;
import io.apexagent.host.security.InternalAddresses;
import io.apexagent.plugin.Permission;
import io.apexagent.plugin.PluginHttp;
import io.apexagent.plugin.PluginResourceLimitException;
import io.smallrye.mutiny.Uni;

/**
 * {@link PluginHttp} of one plugin: network_access is checked on every request, and the host of every hop
 * (the first and each redirect) against the operator's allowed hosts before anything is sent to it. Each
 * hop's host is then resolved, and unless the operator allows it, a host with an internal address
 * ({@link InternalAddresses}, this machine's own included) is refused, except for a host that the allowed
 * hosts name exactly. The connection goes to the address checked, so a name re-pointed after the check (DNS
 * rebinding) changes nothing. Refusals go through the {@link PermissionGuard}, so they are security events.
 * Thread-safe.
 */
final class GuardedPluginHttp implements PluginHttp {

    private final String pluginId;
    private final PermissionGuard guard;
    private final AllowedHosts allowed;
    private final boolean internalAllowed;
    private final HttpTransport transport;
    private final Executor continuations;

    /**
     * @param internalAllowed whether hops may reach internal addresses of hosts {@code allowed} does not name exactly
     * @param continuations   where the plugin's code continues after a response (never the client's threads)
     */
    GuardedPluginHttp(String pluginId, PermissionGuard guard, AllowedHosts allowed, boolean internalAllowed,
            HttpTransport transport, Executor continuations) {
        this.pluginId = pluginId;
        this.guard = guard;
        this.allowed = allowed;
        this.internalAllowed = internalAllowed;
        this.transport = transport;
        this.continuations = continuations;
    }

    @Override
    public Uni<Response> send(Request request) {
        Duration timeout = request.timeout() != null ? request.timeout() : transport.limits().timeout();
        return Uni.createFrom().deferred(() -> {
            guard.require(Permission.NETWORK_ACCESS, "send " + request.method() + " " + request.uri());
            return hop(request, request.uri(), 0, System.nanoTime() + timeout.toNanos());
        })
                .ifNoItem().after(timeout).failWith(() -> new HttpTimeoutException("plugin " + pluginId + ": "
                        + request.method() + " " + request.uri() + " got no complete response within " + timeout))
                .emitOn(continuations);
    }

    private Uni<Response> hop(Request request, URI first, int redirects, long deadline) {
        String hop = redirects == 0 ? "" : " (redirect " + redirects + " from " + first + ")";
        requireAllowed(request.uri(), hop);
        return addressToConnectTo(request.uri(), hop).flatMap(address -> {
            Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            return transport.exchange(request, address, left, maxBytes(request), size -> tooLarge(request, size));
        }).flatMap(response -> follow(request, response, first, redirects, deadline));
    }

    /**
     * @return the address to connect to, once the URI's host may be reached at every address it has; else fails
     *         with the denial, or with {@link UnknownHostException} for a host with no address
     */
    private Uni<InetAddress> addressToConnectTo(URI uri, String hop) {
        boolean checked = !internalAllowed && !allowed.namesExactly(uri);
        return transport.addressesOf(uri.getHost())
                .onFailure(UnknownHostException.class).transform(e -> new UnknownHostException("plugin " + pluginId
                        + ": host " + uri.getHost() + hop + " has no address: " + e.getMessage()))
                .map(addresses -> {
                    if (checked) {
                        for (InetAddress address : addresses) {
                            InternalAddresses.kindOfOrOwn(address)
                                    .ifPresent(kind -> denyInternal(uri, hop, address, kind));
                        }
                    }
                    return addresses.get(0);
                });
    }

    private void denyInternal(URI uri, String hop, InetAddress address, String kind) {
        String key = "apex.security.policy.\"" + pluginId + "\"";
        guard.deny("plugin " + pluginId + " may not connect to host " + uri.getHost() + ":" + AllowedHosts.portOf(uri)
                + hop + ": its address " + address.getHostAddress() + " is " + kind + ". context.http() reaches "
                + "internal addresses only when the operator allows it: " + key + ".internal-addresses=true (or "
                + "apex.plugins.http.allow-internal-addresses=true for every plugin), or the host named exactly in "
                + key + ".allowed-hosts (which limits the plugin to the hosts listed there)");
    }

    /** @return the response, or what the redirect it asks for leads to */
    private Uni<Response> follow(Request request, Response response, URI first, int redirects, long deadline) {
        return Redirects.next(request, response)
                .map(next -> redirects < transport.limits().maxRedirects()
                        ? hop(next, first, redirects + 1, deadline)
                        : Uni.createFrom().<Response>failure(new IOException("plugin " + pluginId + ": " + first
                                + " redirected more than " + transport.limits().maxRedirects()
                                + " times (apex.plugins.http.max-redirects)")))
                .orElseGet(() -> Uni.createFrom().item(response));
    }

    private void requireAllowed(URI uri, String hop) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            guard.deny("plugin " + pluginId + " may not send a request to " + uri + hop
                    + ": context.http() takes absolute http or https URIs with a host name");
        }
        if (!allowed.permits(uri)) {
            guard.deny("plugin " + pluginId + " may not connect to host " + uri.getHost() + ":"
                    + AllowedHosts.portOf(uri) + hop + ": permission network_access reaches only the hosts the "
                    + "operator's policy allows, " + allowed.describe() + " (apex.security.policy.\"" + pluginId
                    + "\".allowed-hosts)");
        }
    }

    private long maxBytes(Request request) {
        long host = transport.limits().maxResponseBytes();
        return request.maxBodyBytes() > 0 ? Math.min(request.maxBodyBytes(), host) : host;
    }

    private RuntimeException tooLarge(Request request, long size) {
        long limit = maxBytes(request);
        String key = limit < transport.limits().maxResponseBytes() ? "the request's maxBodyBytes"
                : "apex.plugins.http.max-response-bytes";
        return new PluginResourceLimitException(pluginId, key, limit, size, "plugin " + pluginId + ": the response of "
                + request.method() + " " + request.uri() + " has at least " + size + " bytes of body, more than the "
                + limit + " allowed (" + key + "); the rest was not read");
    }
}

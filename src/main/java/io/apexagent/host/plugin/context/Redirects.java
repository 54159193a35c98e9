package io.apexagent.host.plugin.context;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.apexagent.host.security.AllowedHosts;
import io.apexagent.plugin.PluginHttp;

/**
 * What a redirect asks for next, as browsers and the JDK client do it: 303 (and 301/302 after a POST) turn
 * into a body-less GET, 307/308 repeat the request; an https page never sends the plugin on to plain http;
 * credentials and cookies are not carried to another origin. Stateless.
 */
final class Redirects {

    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final Set<String> ORIGIN_BOUND = Set.of("authorization", "cookie", "proxy-authorization");

    private Redirects() {
    }

    /** @return the next request, or empty when the response is the answer (not a redirect, or not to follow) */
    static Optional<PluginHttp.Request> next(PluginHttp.Request request, PluginHttp.Response response) {
        Optional<String> location = response.header("location");
        if (!request.followRedirects() || !REDIRECTS.contains(response.status()) || location.isEmpty()) {
            return Optional.empty();
        }
        URI target = request.uri().resolve(URI.create(location.get().trim()));
        if ("https".equalsIgnoreCase(request.uri().getScheme()) && !"https".equalsIgnoreCase(target.getScheme())) {
            return Optional.empty();
        }
        boolean asGet = response.status() == 303 && !request.method().equals("HEAD")
                || (response.status() == 301 || response.status() == 302) && request.method().equals("POST");
        Map<String, List<String>> headers = new LinkedHashMap<>(request.headers());
        if (!sameOrigin(request.uri(), target)) {
            headers.keySet().removeIf(name -> ORIGIN_BOUND.contains(name.toLowerCase(Locale.ROOT)));
        }
        if (asGet) {
            headers.keySet().removeIf(name -> name.toLowerCase(Locale.ROOT).startsWith("content-"));
        }
        return Optional.of(new PluginHttp.Request(asGet ? "GET" : request.method(), target, headers,
                asGet ? null : request.body(), request.timeout(), request.maxBodyBytes(), true));
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && AllowedHosts.portOf(a) == AllowedHosts.portOf(b);
    }
}

package io.apexagent.host.security;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The hosts a plugin's HTTP requests may reach ({@code apex.security.policy."<id>".allowed-hosts}): host names
 * or IP literals, {@code *.example.com} for every sub-domain (not {@code example.com} itself), each with an
 * optional {@code :port} (without one, any port). Names are compared as written in the request's URI, without
 * case and trailing dot, and never resolved: an IP literal matches only an entry naming that IP (an IPv6 one
 * however it is written), and a listed name reaches whatever DNS says it is. Immutable, thread-safe.
 */
public final class AllowedHosts {

    /** No list: network_access reaches every host. */
    public static final AllowedHosts ANY = new AllowedHosts(null);

    private static final Pattern LABELS = Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.%a-z]+]");
    /** Hex digits, colons and dots with at least one colon: parsed as an address, never looked up as a name. */
    private static final Pattern IPV6_LITERAL = Pattern.compile("\\[[0-9a-f.]*:[0-9a-f:.]*]");

    /**
     * One entry.
     *
     * @param host     lower-case name or IP literal (IPv6 in brackets), without the {@code *.} of a wildcard
     * @param wildcard whether it stands for every sub-domain of {@code host}
     * @param port     the only port allowed, or -1 for any
     */
    public record Entry(String host, boolean wildcard, int port) {

        boolean matches(String requestHost, int requestPort) {
            boolean hostMatches = wildcard ? requestHost.endsWith("." + host)
                    : requestHost.equals(host) || sameIpv6(requestHost, host);
            return hostMatches && (port < 0 || port == requestPort);
        }

        @Override
        public String toString() {
            return (wildcard ? "*." : "") + host + (port < 0 ? "" : ":" + port);
        }
    }

    private final List<Entry> entries;

    private AllowedHosts(List<Entry> entries) {
        this.entries = entries;
    }

    /**
     * @param key     the configuration key, named in errors
     * @param written the entries as configured
     * @return the list; {@link IllegalArgumentException} naming the key and a malformed entry
     */
    public static AllowedHosts parse(String key, List<String> written) {
        return new AllowedHosts(written.stream().map(w -> entry(key, w.trim())).toList());
    }

    /** @return whether a list narrows network_access (else every host is allowed) */
    public boolean restricted() {
        return entries != null;
    }

    /** @return the entries as written in the canonical form ({@code *.example.com:443}); empty when not restricted */
    public List<String> describe() {
        return entries == null ? List.of() : entries.stream().map(Entry::toString).toList();
    }

    /** @return whether a request to this absolute http(s) URI may connect */
    public boolean permits(URI uri) {
        if (entries == null) {
            return true;
        }
        String host = normalized(uri.getHost());
        int port = portOf(uri);
        return entries.stream().anyMatch(e -> e.matches(host, port));
    }

    /**
     * @return whether an entry names the URI's host itself, not by a wildcard (and its port, if the entry has one):
     *         the operator chose that host, so it may be reached even at an internal address
     */
    public boolean namesExactly(URI uri) {
        if (entries == null) {
            return false;
        }
        String host = normalized(uri.getHost());
        int port = portOf(uri);
        return entries.stream().anyMatch(e -> !e.wildcard() && e.matches(host, port));
    }

    /** @return the port a request to the URI connects to (the scheme's default when none is written) */
    public static int portOf(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** @return whether both are IPv6 literals of one address, however written ({@code [::1]}, {@code [0:0::1]}) */
    private static boolean sameIpv6(String a, String b) {
        if (!IPV6_LITERAL.matcher(a).matches() || !IPV6_LITERAL.matcher(b).matches()) {
            return false;
        }
        try {
            // Literals only: InetAddress parses them without a look-up.
            return InetAddress.getByName(a.substring(1, a.length() - 1))
                    .equals(InetAddress.getByName(b.substring(1, b.length() - 1)));
        } catch (UnknownHostException e) {
            return false; // not an address after all (an unknown zone id, say): only the same text matches
        }
    }

    private static String normalized(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static Entry entry(String key, String written) {
        String rest = written.toLowerCase(Locale.ROOT);
        boolean wildcard = rest.startsWith("*.");
        if (wildcard) {
            rest = rest.substring(2);
        }
        int port = -1;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf(']') && rest.substring(colon + 1).matches("[0-9]+")) {
            port = port(key, written, rest.substring(colon + 1));
            rest = rest.substring(0, colon);
        }
        String host = normalized(rest);
        boolean ipv6 = IPV6.matcher(host).matches();
        if (host.isEmpty() || (ipv6 && wildcard) || !(ipv6 || LABELS.matcher(host).matches())) {
            throw new IllegalArgumentException(key + " entry '" + written + "' is not a host: write a name, an IP "
                    + "literal ([::1] for IPv6) or *.domain, optionally followed by :port");
        }
        return new Entry(host, wildcard, port);
    }

    private static int port(String key, String written, String digits) {
        int port = digits.length() > 5 ? -1 : Integer.parseInt(digits);
        if (port >= 1 && port <= 65535) {
            return port;
        }
        throw new IllegalArgumentException(key + " entry '" + written + "' has port '" + digits
                + "', which is not a number from 1 to 65535");
    }
}

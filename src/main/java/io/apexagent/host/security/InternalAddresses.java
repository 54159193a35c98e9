package io.apexagent.host.security;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;

/**
 * Addresses that lead into the host's own network rather than to the internet: loopback, private
 * (RFC 1918), shared (RFC 6598), link-local (where cloud metadata services answer, 169.254.169.254),
 * unique-local and site-local IPv6, multicast, broadcast and unspecified, and IPv6 addresses that embed
 * such an IPv4 address (IPv4-compatible, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}). A plugin's
 * {@code context.http()} may reach them only when the operator allows it, so that a URL taken from a
 * user or a model cannot reach the host's admin API, its database or the cloud's metadata service
 * (server-side request forgery). Stateless.
 */
public final class InternalAddresses {

    private InternalAddresses() {
    }

    /** @return what kind of internal address this is, such as "loopback"; empty for a public address */
    public static Optional<String> kindOf(InetAddress address) {
        if (address instanceof Inet4Address v4) {
            return kindOfV4(v4.getAddress());
        }
        byte[] b = address.getAddress();
        if (address.isLoopbackAddress()) {
            return Optional.of("loopback");
        }
        if (address.isAnyLocalAddress()) {
            return Optional.of("unspecified");
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of("link-local");
        }
        if (address.isSiteLocalAddress()) {
            return Optional.of("site-local");
        }
        if (address.isMulticastAddress()) {
            return Optional.of("multicast");
        }
        if ((b[0] & 0xfe) == 0xfc) {
            return Optional.of("unique-local (fc00::/7)");
        }
        return embeddedV4(b).flatMap(v4 -> kindOfV4(v4).map(kind -> kind + ", embedded in an IPv6 address"));
    }

    private static Optional<String> kindOfV4(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (first == 127) {
            return Optional.of("loopback");
        }
        if (first == 0) {
            return Optional.of("unspecified (0.0.0.0/8)");
        }
        if (first == 10 || first == 172 && second >= 16 && second <= 31 || first == 192 && second == 168) {
            return Optional.of("private (RFC 1918)");
        }
        if (first == 169 && second == 254) {
            return Optional.of("link-local");
        }
        if (first == 100 && second >= 64 && second <= 127) {
            return Optional.of("shared (100.64.0.0/10)");
        }
        if (first >= 224 && first <= 239) {
            return Optional.of("multicast");
        }
        if (Arrays.equals(b, new byte[] {-1, -1, -1, -1})) {
            return Optional.of("broadcast");
        }
        return Optional.empty();
    }

    /** IPv4-mapped addresses need no case: Java already parses {@code ::ffff:a.b.c.d} as an {@link Inet4Address}. */
    private static Optional<byte[]> embeddedV4(byte[] b) {
        if (allZero(b, 0, 12)) {
            return Optional.of(Arrays.copyOfRange(b, 12, 16)); // IPv4-compatible ::a.b.c.d
        }
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b && allZero(b, 4, 12)) {
            return Optional.of(Arrays.copyOfRange(b, 12, 16)); // NAT64 64:ff9b::a.b.c.d
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return Optional.of(Arrays.copyOfRange(b, 2, 6)); // 6to4 2002:aabb:ccdd::
        }
        return Optional.empty();
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}

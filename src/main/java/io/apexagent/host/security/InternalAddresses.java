package io.apexagent.host.security;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;

/**
 * Addresses that lead into the host's own network rather than to the internet: loopback, private
 * (RFC 1918), shared (RFC 6598), link-local (where cloud metadata services answer, 169.254.169.254),
 * unique-local and site-local IPv6, multicast, broadcast and unspecified, and IPv6 addresses that embed
 * such an IPv4 address (IPv4-compatible, IPv4-translated, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}), and
 * ranges that never lead to the public internet (documentation, benchmarking, reserved). A plugin's
 * {@code context.http()} may reach them only when the operator allows it, so that a URL taken from a
 * user or a model cannot reach the host's admin API, its database or the cloud's metadata service
 * (server-side request forgery). Stateless.
 */
public final class InternalAddresses {

    /** This machine's interface addresses, looked up again at most every 30 s (interfaces come and go). */
    private static final OwnAddresses OWN = new OwnAddresses(30_000);

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
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b && b[4] == 0x00 && b[5] == 0x01) {
            return Optional.of("local-use NAT64 (64:ff9b:1::/48)");
        }
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == (byte) 0xb8) {
            return Optional.of("documentation (2001:db8::/32)");
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
        if (first == 192 && second == 0 && (b[2] & 0xff) == 0) {
            return Optional.of("IETF protocol assignments (192.0.0.0/24)");
        }
        if (first == 192 && second == 0 && (b[2] & 0xff) == 2 || first == 198 && second == 51 && (b[2] & 0xff) == 100
                || first == 203 && second == 0 && (b[2] & 0xff) == 113) {
            return Optional.of("documentation (RFC 5737)");
        }
        if (first == 198 && (second == 18 || second == 19)) {
            return Optional.of("benchmarking (198.18.0.0/15)");
        }
        if (first >= 224 && first <= 239) {
            return Optional.of("multicast");
        }
        if (Arrays.equals(b, new byte[] {-1, -1, -1, -1})) {
            return Optional.of("broadcast");
        }
        if (first >= 240) {
            return Optional.of("reserved (240.0.0.0/4)");
        }
        return Optional.empty();
    }

    /**
     * @return the kind of internal address, as {@link #kindOf}, or "an address of this machine" for one of its own
     *         interfaces' addresses (which may be public, yet reach the host's own services)
     */
    public static Optional<String> kindOfOrOwn(InetAddress address) {
        return kindOf(address).or(() -> OWN.contains(address) ? Optional.of("an address of this machine")
                : Optional.empty());
    }

    /** IPv4-mapped addresses need no case: Java already parses {@code ::ffff:a.b.c.d} as an {@link Inet4Address}. */
    private static Optional<byte[]> embeddedV4(byte[] b) {
        if (allZero(b, 0, 12)) {
            return Optional.of(Arrays.copyOfRange(b, 12, 16)); // IPv4-compatible ::a.b.c.d
        }
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b && allZero(b, 4, 12)) {
            return Optional.of(Arrays.copyOfRange(b, 12, 16)); // NAT64 64:ff9b::a.b.c.d
        }
        if (allZero(b, 0, 8) && b[8] == (byte) 0xff && b[9] == (byte) 0xff && b[10] == 0 && b[11] == 0) {
            return Optional.of(Arrays.copyOfRange(b, 12, 16)); // IPv4-translated (SIIT) ::ffff:0:a.b.c.d
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

package io.apexagent.host.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which addresses count as internal, with the range edges on both sides. */
class InternalAddressesTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.1                | loopback
            127.255.255.254          | loopback
            0.0.0.0                  | unspecified (0.0.0.0/8)
            0.1.2.3                  | unspecified (0.0.0.0/8)
            10.0.0.1                 | private (RFC 1918)
            172.16.0.1               | private (RFC 1918)
            172.31.255.255           | private (RFC 1918)
            192.168.1.1              | private (RFC 1918)
            169.254.169.254          | link-local
            100.64.0.1               | shared (100.64.0.0/10)
            100.127.255.255          | shared (100.64.0.0/10)
            224.0.0.1                | multicast
            239.255.255.255          | multicast
            255.255.255.255          | broadcast
            ::1                      | loopback
            ::                       | unspecified
            fe80::1                  | link-local
            fec0::1                  | site-local
            fc00::1                  | unique-local (fc00::/7)
            fd12:3456::1             | unique-local (fc00::/7)
            ff02::1                  | multicast
            ::ffff:127.0.0.1         | loopback
            ::ffff:10.0.0.1          | private (RFC 1918)
            ::127.0.0.1              | loopback, embedded in an IPv6 address
            64:ff9b::a9fe:a9fe       | link-local, embedded in an IPv6 address
            2002:c0a8:0101::1        | private (RFC 1918), embedded in an IPv6 address
            ::ffff:0:a9fe:a9fe       | link-local, embedded in an IPv6 address
            192.0.0.192              | IETF protocol assignments (192.0.0.0/24)
            192.0.2.2                | documentation (RFC 5737)
            198.51.100.7             | documentation (RFC 5737)
            203.0.113.200            | documentation (RFC 5737)
            198.18.0.1               | benchmarking (198.18.0.0/15)
            198.19.255.255           | benchmarking (198.18.0.0/15)
            240.0.0.1                | reserved (240.0.0.0/4)
            64:ff9b:1::a00:1         | local-use NAT64 (64:ff9b:1::/48)
            2001:db8::1              | documentation (2001:db8::/32)
            """)
    void internalAddressesAreNamedByKind(String ip, String kind) throws UnknownHostException {
        assertThat(InternalAddresses.kindOf(InetAddress.getByName(ip))).contains(kind);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "172.15.255.255", "172.32.0.1", "192.169.0.1", "169.253.0.1", "100.63.255.255",
            "100.128.0.1", "223.255.255.255", "1.0.0.1", "2001:4860:4860::8888", "64:ff9b::808:808",
            "2002:0808:0808::1", "fbff::1", "fe00::1", "192.0.1.1", "198.17.255.255", "198.20.0.1", "203.0.112.1",
            "2001:db9::1"})
    void publicAddressesAreNot(String ip) throws UnknownHostException {
        assertThat(InternalAddresses.kindOf(InetAddress.getByName(ip))).isEmpty();
    }
}

package io.apexagent.host.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Matching request URIs against the operator's allowed hosts: names as written, wildcards, ports. */
class AllowedHostsTest {

    private static final String KEY = "apex.security.policy.\"p\".allowed-hosts";

    private final AllowedHosts hosts = AllowedHosts.parse(KEY,
            List.of("api.example.com", " *.cdn.example.org:443", "127.0.0.1:8080", "[::1]"));

    @Test
    void anExactNameMatchesOnAnyPortWithoutCaseOrTrailingDot() {
        assertThat(hosts.permits(URI.create("https://api.example.com/v1"))).isTrue();
        assertThat(hosts.permits(URI.create("http://API.Example.COM:8081/"))).isTrue();
        assertThat(hosts.permits(URI.create("https://api.example.com./"))).isTrue();
        assertThat(hosts.permits(URI.create("https://example.com/"))).isFalse();
        assertThat(hosts.permits(URI.create("https://evil-api.example.com/"))).isFalse();
        assertThat(hosts.permits(URI.create("https://api.example.com.evil.net/"))).isFalse();
    }

    @Test
    void aWildcardCoversSubDomainsOnlyAndItsPortIsEnforced() {
        assertThat(hosts.permits(URI.create("https://img.cdn.example.org/a.png"))).isTrue();
        assertThat(hosts.permits(URI.create("https://a.b.cdn.example.org:443/"))).isTrue();
        assertThat(hosts.permits(URI.create("https://cdn.example.org/"))).isFalse();
        assertThat(hosts.permits(URI.create("http://img.cdn.example.org/"))).as("port 80").isFalse();
        assertThat(hosts.permits(URI.create("https://xcdn.example.org/"))).isFalse();
    }

    @Test
    void ipLiteralsMatchOnlyThemselvesAndNamesAreNotResolved() {
        assertThat(hosts.permits(URI.create("http://127.0.0.1:8080/"))).isTrue();
        assertThat(hosts.permits(URI.create("http://127.0.0.1:8081/"))).isFalse();
        assertThat(hosts.permits(URI.create("http://localhost:8080/"))).as("a name is not its address").isFalse();
        assertThat(hosts.permits(URI.create("http://[::1]:9000/"))).isTrue();
        assertThat(hosts.permits(URI.create("http://[0:0:0:0:0:0:0:1]:9000/"))).as("[::1] written in full").isTrue();
        assertThat(hosts.namesExactly(URI.create("http://[0000::0001]/"))).isTrue();
        assertThat(hosts.permits(URI.create("http://[::2]:9000/"))).isFalse();
        assertThat(hosts.permits(URI.create("http://2130706433:8080/"))).as("127.0.0.1 as an integer").isFalse();
    }

    @Test
    void userInfoDoesNotPassForTheHost() {
        assertThat(hosts.permits(URI.create("https://api.example.com@evil.net/"))).isFalse();
        assertThat(hosts.permits(URI.create("https://evil.net#@api.example.com"))).isFalse();
    }

    @Test
    void noListAllowsEveryHostAndDescribesAsItIsWritten() {
        assertThat(AllowedHosts.ANY.restricted()).isFalse();
        assertThat(AllowedHosts.ANY.permits(URI.create("https://anything.net/"))).isTrue();
        assertThat(hosts.restricted()).isTrue();
        assertThat(hosts.describe()).containsExactly("api.example.com", "*.cdn.example.org:443", "127.0.0.1:8080", "[::1]");
        assertThat(AllowedHosts.parse(KEY, List.of()).permits(URI.create("https://api.example.com/")))
                .as("an empty list allows nothing").isFalse();
    }

    @Test
    void aMalformedEntryNamesTheKey() {
        for (String bad : List.of("*", "https://api.example.com", "api.example.com/path", "a b", "*.[::1]", "")) {
            assertThatThrownBy(() -> AllowedHosts.parse(KEY, List.of(bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(KEY + " entry '" + bad.trim() + "'");
        }
        assertThatThrownBy(() -> AllowedHosts.parse(KEY, List.of("api.example.com:99999")))
                .hasMessageContaining("port '99999', which is not a number from 1 to 65535");
    }
}

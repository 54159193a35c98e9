package io.apexagent.host.plugin.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.apexagent.host.security.AllowedHosts;
import io.apexagent.host.testing.ApexConfigs;
import io.apexagent.host.testing.TestHttpServer;
import io.apexagent.plugin.Permission;
import io.apexagent.plugin.PluginHttp;
import io.apexagent.plugin.PluginResourceLimitException;
import io.apexagent.plugin.PluginSecurityException;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PfxOptions;

/**
 * A plugin's HTTP client against a local server: the permission and the host of every hop are checked before
 * anything is sent, redirects are followed hop by hop, and bodies are capped.
 */
class GuardedPluginHttpTest {

    /** The test server listens on loopback, an internal address. */
    private static final boolean INTERNAL_ALLOWED = true;

    private final TestHttpServer server = TestHttpServer.start();
    private final List<String> denials = new CopyOnWriteArrayList<>();
    private final List<String> lookupThreads = new CopyOnWriteArrayList<>();
    private static final Vertx VERTX = Vertx.vertx();

    private final HttpTransport transport = new HttpTransport(VERTX, ApexConfigs.of(Map.of(
            "apex.plugins.http.max-response-bytes", "100000", "apex.plugins.http.max-redirects", "2")).plugins().http());

    @AfterEach
    void stop() {
        server.close();
    }

    @AfterAll
    static void closeVertx() {
        VERTX.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aGrantedRequestGetsStatusHeadersAndBody() {
        PluginHttp.Response hello = send(http(Set.of(Permission.NETWORK_ACCESS), AllowedHosts.ANY, INTERNAL_ALLOWED),
                PluginHttp.Request.get(server.url() + "/hello"));
        assertThat(hello.status()).isEqualTo(200);
        assertThat(hello.bodyAsString()).isEqualTo("hello from the test server");
        assertThat(hello.header("CONTENT-length")).contains("26");
        // Lower-case names, whatever the server wrote: children look headers up in plain maps.
        assertThat(hello.headers()).containsKey("content-length")
                .allSatisfy((name, values) -> assertThat(name).isLowerCase());

        PluginHttp.Response echo = send(http(Set.of(Permission.NETWORK_ACCESS), AllowedHosts.ANY, INTERNAL_ALLOWED),
                PluginHttp.Request.of("POST", server.url() + "/echo").withBody("ping"));
        assertThat(echo.bodyAsString()).isEqualTo("ping");
        assertThat(denials).isEmpty();
    }

    @Test
    void withoutNetworkAccessNothingIsSent() {
        Throwable refused = failure(http(Set.of(), AllowedHosts.ANY, INTERNAL_ALLOWED), PluginHttp.Request.get(server.url() + "/hello"));
        assertThat(refused).isInstanceOf(PluginSecurityException.class)
                .hasMessageContaining("plugin http-test may not send GET " + server.url() + "/hello")
                .hasMessageContaining("permission network_access is not granted");
        assertThat(denials).hasSize(1);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aHostOutsideTheAllowedOnesIsRefusedBeforeAnyConnection() {
        PluginHttp narrowed = http(Set.of(Permission.NETWORK_ACCESS), hosts("127.0.0.1"), false);
        // localhost is the same server, but not the name the operator allowed
        Throwable refused = failure(narrowed, PluginHttp.Request.get("http://localhost:" + server.port() + "/hello"));
        assertThat(refused).isInstanceOf(PluginSecurityException.class)
                .hasMessageContaining("may not connect to host localhost:" + server.port())
                .hasMessageContaining("network_access reaches only the hosts the operator's policy allows, [127.0.0.1]")
                .hasMessageContaining("apex.security.policy.\"http-test\".allowed-hosts");
        assertThat(failure(narrowed, PluginHttp.Request.get("file:///etc/passwd")))
                .hasMessageContaining("takes absolute http or https URIs");
        assertThat(server.requests()).isEmpty();
        assertThat(denials).hasSize(2);
        assertThat(send(narrowed, PluginHttp.Request.get(server.url() + "/hello")).status()).isEqualTo(200);
    }

    @Test
    void eachRedirectHopIsCheckedBeforeItIsFollowed() {
        PluginHttp narrowed = http(Set.of(Permission.NETWORK_ACCESS), hosts("127.0.0.1"), false);
        String toLocalhost = "http://localhost:" + server.port() + "/hello";
        Throwable refused = failure(narrowed, PluginHttp.Request.get(server.url() + "/redirect?to=" + toLocalhost));
        assertThat(refused).isInstanceOf(PluginSecurityException.class)
                .hasMessageContaining("may not connect to host localhost:" + server.port() + " (redirect 1 from ");
        assertThat(server.requests()).containsExactly("GET /redirect?to=" + toLocalhost);

        PluginHttp.Response followed = send(narrowed, PluginHttp.Request.get(server.url() + "/redirect?to=/hello"));
        assertThat(followed.bodyAsString()).isEqualTo("hello from the test server");
        assertThat(followed.uri().getPath()).isEqualTo("/hello");
        PluginHttp.Response notFollowed = send(narrowed,
                PluginHttp.Request.get(server.url() + "/redirect?to=" + toLocalhost).withoutRedirects());
        assertThat(notFollowed.status()).isEqualTo(302);
    }

    @Test
    void credentialsAreNotCarriedToAnotherOriginAndRedirectLoopsEnd() {
        PluginHttp open = http(Set.of(Permission.NETWORK_ACCESS), AllowedHosts.ANY, INTERNAL_ALLOWED);
        String otherOrigin = "http://localhost:" + server.port() + "/echo";
        PluginHttp.Response response = send(open, PluginHttp.Request.of("POST", server.url() + "/redirect?to="
                + otherOrigin).withHeader("Authorization", "Bearer secret").withBody("x"));
        assertThat(response.header("X-Seen-Authorization")).contains("null");
        assertThat(server.requests()).last().isEqualTo("GET /echo");

        String loop = server.url() + "/redirect?to=/redirect%3Fto%3D/redirect%253Fto%253D/hello";
        assertThat(failure(open, PluginHttp.Request.get(loop))).hasMessageContaining("redirected more than 2 times");
    }

    @Test
    void manyBodiesAtOnceArriveWhole() {
        PluginHttp open = http(Set.of(Permission.NETWORK_ACCESS), AllowedHosts.ANY, INTERNAL_ALLOWED);
        // Sent from plain threads, as plugins do: no chunk may reach the response before its handlers are set.
        List<io.smallrye.mutiny.Uni<PluginHttp.Response>> calls = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            calls.add(open.send(PluginHttp.Request.get(server.url() + "/bytes?n=" + (60_000 + i)
                    + (i % 2 == 0 ? "&chunked=true" : ""))));
        }
        List<Integer> sizes = io.smallrye.mutiny.Uni.join().all(calls).andFailFast()
                .map(responses -> responses.stream().map(r -> r.body().length).toList())
                .await().atMost(Duration.ofSeconds(30));
        for (int i = 0; i < 100; i++) {
            assertThat(sizes.get(i)).as("body of request %d", i).isEqualTo(60_000 + i);
        }
    }

    @Test
    void aBodyOverTheLimitFailsNamingTheLimit() {
        PluginHttp open = http(Set.of(Permission.NETWORK_ACCESS), AllowedHosts.ANY, INTERNAL_ALLOWED);
        assertThat(send(open, PluginHttp.Request.get(server.url() + "/bytes?n=100000")).body()).hasSize(100000);

        Throwable declared = failure(open, PluginHttp.Request.get(server.url() + "/bytes?n=100001"));
        assertThat(declared).isInstanceOf(PluginResourceLimitException.class)
                .hasMessageContaining("has at least 100001 bytes of body, more than the 100000 allowed "
                        + "(apex.plugins.http.max-response-bytes)");
        Throwable streamed = failure(open, PluginHttp.Request.get(server.url() + "/bytes?n=300000&chunked=true"));
        assertThat(streamed).isInstanceOf(PluginResourceLimitException.class)
                .hasMessageContaining("more than the 100000 allowed");
        Throwable asked = failure(open, PluginHttp.Request.get(server.url() + "/hello").withMaxBodyBytes(10));
        assertThat(asked).hasMessageContaining("more than the 10 allowed (the request's maxBodyBytes)");
    }

    @Test
    void anInternalAddressIsRefusedBeforeAnyConnectionUnlessTheOperatorAllowsIt() {
        PluginHttp open = http(Set.of(Permission.NETWORK_ACCESS), AllowedHosts.ANY, false);
        assertThat(failure(open, PluginHttp.Request.get(server.url() + "/hello"))).isInstanceOf(PluginSecurityException.class)
                .hasMessageContaining("plugin http-test may not connect to host 127.0.0.1:" + server.port()
                        + ": its address 127.0.0.1 is loopback. context.http() reaches internal addresses only when "
                        + "the operator allows it: apex.security.policy.\"http-test\".internal-addresses=true (or "
                        + "apex.plugins.http.allow-internal-addresses=true for every plugin), or the host named "
                        + "exactly in apex.security.policy.\"http-test\".allowed-hosts (which limits the plugin to the "
                        + "hosts listed there)");
        // Names are resolved (here by the JVM's own resolver) and every written form of an address is read as it.
        assertThat(failure(open, PluginHttp.Request.get("http://localhost:" + server.port() + "/hello")))
                .hasMessageContaining("host localhost:" + server.port() + ": its address 127.0.0.1 is loopback");
        assertThat(failure(open, PluginHttp.Request.get("http://[::ffff:127.0.0.1]:" + server.port() + "/hello")))
                .hasMessageContaining("its address 127.0.0.1 is loopback");
        assertThat(server.requests()).isEmpty();
        assertThat(denials).hasSize(3);

        PluginHttp allowed = http(Set.of(Permission.NETWORK_ACCESS), AllowedHosts.ANY, true);
        assertThat(send(allowed, PluginHttp.Request.get(server.url() + "/hello")).status()).isEqualTo(200);
    }

    @Test
    void aNameThatResolvesToAnInternalAddressIsRefusedEvenWhenAWildcardAllowsIt() {
        PluginHttp http = http(Set.of(Permission.NETWORK_ACCESS), hosts("127.0.0.1", "*.test"), false, Map.of(
                "metadata.test", "169.254.169.254", "mixed.test", "93.184.215.14,10.1.2.3", "v6.test", "fd00::1",
                "nat64.test", "64:ff9b::a9fe:a9fe"));
        assertThat(failure(http, PluginHttp.Request.get("http://metadata.test/latest/meta-data/")))
                .isInstanceOf(PluginSecurityException.class)
                .hasMessageContaining("host metadata.test:80: its address 169.254.169.254 is link-local");
        assertThat(failure(http, PluginHttp.Request.get("https://mixed.test/")))
                .hasMessageContaining("host mixed.test:443: its address 10.1.2.3 is private (RFC 1918)");
        assertThat(failure(http, PluginHttp.Request.get("http://v6.test/")))
                .hasMessageContaining("is unique-local (fc00::/7)");
        assertThat(failure(http, PluginHttp.Request.get("http://nat64.test/")))
                .hasMessageContaining("is link-local, embedded in an IPv6 address");

        // A redirect from the exactly named host to a wildcard-allowed name that resolves internally: not followed.
        String toInternal = "http://metadata.test:" + server.port() + "/hello";
        assertThat(failure(http, PluginHttp.Request.get(server.url() + "/redirect?to=" + toInternal)))
                .hasMessageContaining("host metadata.test:" + server.port() + " (redirect 1 from " + server.url())
                .hasMessageContaining("its address 169.254.169.254 is link-local");
        assertThat(server.requests()).containsExactly("GET /redirect?to=" + toInternal);
        assertThat(denials).hasSize(5);
    }

    @Test
    void theConnectionGoesToTheAddressThatWasCheckedWithTheNameInTheHostHeader() {
        // The JVM's resolver knows no svc.test: the request can only reach the server through the checked address.
        PluginHttp http = http(Set.of(Permission.NETWORK_ACCESS), AllowedHosts.ANY, INTERNAL_ALLOWED,
                Map.of("svc.test", "127.0.0.1"));
        PluginHttp.Response echo = send(http, PluginHttp.Request.of("POST", "http://svc.test:" + server.port()
                + "/echo?q=a%20b").withBody("pinned"));
        assertThat(echo.status()).isEqualTo(200);
        assertThat(echo.bodyAsString()).isEqualTo("pinned");
        assertThat(echo.header("X-Seen-Host")).contains("svc.test:" + server.port());
        assertThat(server.requests()).containsExactly("POST /echo?q=a%20b");
        // Look-ups block: on threads of their own, not the event loop's or the shared workers'.
        assertThat(lookupThreads).singleElement().asString().startsWith("apex-plugin-dns");
    }

    @Test
    void httpsChecksTheCertificateAgainstTheNameWhileConnectingToTheCheckedAddress(@TempDir Path dir) throws Exception {
        Path keystore = selfSignedKeystore(dir, "svc.test");
        AtomicInteger served = new AtomicInteger();
        io.vertx.core.http.HttpServer tls = VERTX.createHttpServer(new HttpServerOptions().setSsl(true).setUseAlpn(true)
                .setKeyCertOptions(new PfxOptions().setPath(keystore.toString()).setPassword("secret")))
                .requestHandler(request -> {
                    served.incrementAndGet();
                    request.response().end("secret page for " + request.authority() + " over " + request.version());
                });
        int port = tls.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join().actualPort();
        try {
            Map<String, String> names = Map.of("svc.test", "127.0.0.1", "other.test", "127.0.0.1");
            // The JVM's trust store does not hold the certificate: nothing is sent.
            PluginHttp jvmTrust = http(Set.of(Permission.NETWORK_ACCESS), AllowedHosts.ANY, INTERNAL_ALLOWED, names);
            assertThat(failure(jvmTrust, PluginHttp.Request.get("https://svc.test:" + port + "/")))
                    .hasStackTraceContaining("unable to find valid certification path");
            // Trusted: the name the certificate holds passes, another name for the same address does not.
            PluginHttp trusting = http(Set.of(Permission.NETWORK_ACCESS), AllowedHosts.ANY, INTERNAL_ALLOWED,
                    new HttpTransport(VERTX, transport.limits(), resolver(names),
                            new PfxOptions().setPath(keystore.toString()).setPassword("secret")));
            assertThat(failure(trusting, PluginHttp.Request.get("https://other.test:" + port + "/")))
                    .hasStackTraceContaining("No subject alternative DNS name matching other.test found");
            assertThat(served).hasValue(0);
            assertThat(send(trusting, PluginHttp.Request.get("https://svc.test:" + port + "/")).bodyAsString())
                    .isEqualTo("secret page for svc.test:" + port + " over HTTP_2");
            assertThat(served).hasValue(1);
        } finally {
            tls.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    @Test
    void anIpv6LiteralIsSentWithItsBracketsInTheHostHeader() {
        io.vertx.core.http.HttpServer v6 = VERTX.createHttpServer()
                .requestHandler(request -> request.response().end("host " + request.getHeader("Host")));
        int port = v6.listen(0, "::1").toCompletionStage().toCompletableFuture().join().actualPort();
        try {
            PluginHttp open = http(Set.of(Permission.NETWORK_ACCESS), AllowedHosts.ANY, INTERNAL_ALLOWED);
            assertThat(send(open, PluginHttp.Request.get("http://[::1]:" + port + "/")).bodyAsString())
                    .isEqualTo("host [::1]:" + port);
        } finally {
            v6.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    @Test
    void anEmptyPostAnnouncesItsLengthAndEveryRequestHasAUserAgent() {
        PluginHttp open = http(Set.of(Permission.NETWORK_ACCESS), AllowedHosts.ANY, INTERNAL_ALLOWED);
        PluginHttp.Response empty = send(open, PluginHttp.Request.of("POST", server.url() + "/echo"));
        assertThat(empty.header("X-Seen-Content-Length")).contains("0");
        assertThat(empty.header("X-Seen-User-Agent")).contains(HttpTransport.USER_AGENT);
        PluginHttp.Response own = send(open, PluginHttp.Request.get(server.url() + "/echo")
                .withHeader("User-Agent", "weather-plugin/2.1"));
        assertThat(own.header("X-Seen-User-Agent")).contains("weather-plugin/2.1");
        assertThat(own.header("X-Seen-Content-Length")).contains("null");
    }

    @Test
    void aHeadResponseAnnouncingALargeBodyIsNotRefusedAsTooLarge() {
        io.vertx.core.http.HttpServer large = VERTX.createHttpServer().requestHandler(request -> request.response()
                .putHeader("Content-Length", "5000000").end());
        int port = large.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join().actualPort();
        try {
            PluginHttp open = http(Set.of(Permission.NETWORK_ACCESS), AllowedHosts.ANY, INTERNAL_ALLOWED);
            PluginHttp.Response head = send(open, PluginHttp.Request.of("HEAD", "http://127.0.0.1:" + port + "/"));
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).contains("5000000");
            assertThat(head.body()).isEmpty();
        } finally {
            large.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    /** @return a PKCS12 keystore (password "secret") with a self-signed certificate for DNS name {@code name} */
    private static Path selfSignedKeystore(Path dir, String name) throws Exception {
        Path keystore = dir.resolve(name + ".p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-ext", "SAN=dns:" + name, "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "secret", "-keypass", "secret").redirectErrorStream(true).start();
        assertThat(keytool.waitFor()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        return keystore;
    }

    @Test
    void aServerThatNeverAnswersFailsTheRequestAtItsTimeLimit() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            PluginHttp open = http(Set.of(Permission.NETWORK_ACCESS), AllowedHosts.ANY, INTERNAL_ALLOWED);
            Throwable late = failure(open, PluginHttp.Request.get("http://127.0.0.1:" + silent.getLocalPort() + "/")
                    .withTimeout(Duration.ofMillis(300)));
            assertThat(late).hasRootCauseInstanceOf(java.net.http.HttpTimeoutException.class)
                    .hasMessageContaining("plugin http-test: GET http://127.0.0.1:" + silent.getLocalPort()
                            + "/ got no complete response within PT0.3S");
        }
    }

    @Test
    void headersTheHostWritesItselfAndRequestSplittingAreRefused() {
        PluginHttp open = http(Set.of(Permission.NETWORK_ACCESS), AllowedHosts.ANY, INTERNAL_ALLOWED);
        assertThat(failure(open, PluginHttp.Request.get(server.url() + "/hello").withHeader("Host", "admin.internal")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("restricted header name: \"Host\"");
        // Nothing that could split the request into two reaches the wire.
        assertThat(failure(open, PluginHttp.Request.get(server.url() + "/hello").withHeader("X-A", "1\r\nX-B: 2")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid value of header \"X-A\": it holds a line break or NUL");
        assertThat(failure(open, PluginHttp.Request.get(server.url() + "/hello").withHeader("X A", "1")))
                .hasMessageContaining("invalid header name \"X A\"");
        assertThat(failure(open, PluginHttp.Request.of("GET /admin HTTP/1.1\r\nX:", server.url() + "/hello")))
                .hasMessageContaining("an HTTP method is a token");
        assertThat(failure(open, PluginHttp.Request.of("CONNECT", server.url() + "/")))
                .hasMessageContaining("method CONNECT is not allowed");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aNameWithNoAddressFailsNamingIt() {
        PluginHttp open = http(Set.of(Permission.NETWORK_ACCESS), AllowedHosts.ANY, false, Map.of());
        assertThat(failure(open, PluginHttp.Request.get("http://nowhere.test/")))
                .hasRootCauseInstanceOf(java.net.UnknownHostException.class)
                .hasMessageContaining("plugin http-test: host nowhere.test has no address");
        assertThat(denials).isEmpty();
    }

    private PluginHttp http(Set<Permission> granted, AllowedHosts hosts, boolean internalAllowed) {
        return http(granted, hosts, internalAllowed, transport);
    }

    /** @param names the addresses of names, comma separated (a name not in it does not resolve) */
    private PluginHttp http(Set<Permission> granted, AllowedHosts hosts, boolean internalAllowed,
            Map<String, String> names) {
        return http(granted, hosts, internalAllowed, new HttpTransport(VERTX, transport.limits(), resolver(names)));
    }

    /** @param names the addresses of names, comma separated (a name not in it does not resolve) */
    private HttpTransport.NameResolver resolver(Map<String, String> names) {
        return host -> {
            lookupThreads.add(Thread.currentThread().getName());
            if (host.matches("[0-9.]+|\\[.*]")) {
                return InetAddress.getAllByName(host);
            }
            if (!names.containsKey(host)) {
                throw new UnknownHostException(host + ": not a name of this test");
            }
            List<InetAddress> addresses = new ArrayList<>();
            for (String ip : names.get(host).split(",")) {
                addresses.add(InetAddress.getByName(ip));
            }
            return addresses.toArray(InetAddress[]::new);
        };
    }

    private PluginHttp http(Set<Permission> granted, AllowedHosts hosts, boolean internalAllowed,
            HttpTransport through) {
        PermissionGuard guard = new PermissionGuard("http-test",
                granted.isEmpty() ? EnumSet.noneOf(Permission.class) : EnumSet.copyOf(granted),
                e -> denials.add(e.getMessage()));
        return new GuardedPluginHttp("http-test", guard, hosts, internalAllowed, through,
                Infrastructure.getDefaultExecutor());
    }

    private static AllowedHosts hosts(String... entries) {
        return AllowedHosts.parse("apex.security.policy.\"http-test\".allowed-hosts", List.of(entries));
    }

    private static PluginHttp.Response send(PluginHttp http, PluginHttp.Request request) {
        return http.send(request).await().atMost(Duration.ofSeconds(10));
    }

    private static Throwable failure(PluginHttp http, PluginHttp.Request request) {
        try {
            PluginHttp.Response r = http.send(request).await().atMost(Duration.ofSeconds(10));
            throw new AssertionError("expected a failure, got " + r.status());
        } catch (AssertionError e) {
            throw e;
        } catch (RuntimeException e) {
            return e;
        }
    }
}

package io.apexagent.host.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A JDK HTTP server on 127.0.0.1 for tests of the plugins' HTTP client; it records every request it gets.
 * Paths: {@code /hello} (text), {@code /echo} (the request body back, with the {@code Authorization},
 * {@code Host}, {@code Content-Length} and {@code User-Agent} headers it saw in {@code X-Seen-*}), {@code /redirect?to=<url>} (302), {@code /bytes?n=<count>&chunked=true|false}.
 * Close it after the test.
 */
public final class TestHttpServer implements AutoCloseable {

    private final HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private TestHttpServer(HttpServer server) {
        this.server = server;
    }

    /** @return a started server on a free port */
    public static TestHttpServer start() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            TestHttpServer t = new TestHttpServer(s);
            s.createContext("/", t::handle);
            s.start();
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return {@code http://127.0.0.1:<port>} */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** @return the port it listens on */
    public int port() {
        return server.getAddress().getPort();
    }

    /** @return {@code <METHOD> <path?query>} of every request received, in order */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getRawQuery();
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            byte[] in = exchange.getRequestBody().readAllBytes();
            switch (path) {
                case "/hello" -> send(exchange, 200, "hello from the test server".getBytes(StandardCharsets.UTF_8), false);
                case "/echo" -> {
                    exchange.getResponseHeaders().add("X-Seen-Authorization",
                            String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
                    for (String seen : new String[] {"Host", "Content-Length", "User-Agent"}) {
                        exchange.getResponseHeaders().add("X-Seen-" + seen,
                                String.valueOf(exchange.getRequestHeaders().getFirst(seen)));
                    }
                    send(exchange, 200, in, false);
                }
                case "/redirect" -> {
                    exchange.getResponseHeaders().add("Location",
                            java.net.URLDecoder.decode(query.substring("to=".length()), StandardCharsets.UTF_8));
                    send(exchange, 302, new byte[0], false);
                }
                case "/bytes" -> send(exchange, 200, new byte[Integer.parseInt(param(query, "n"))],
                        "true".equals(param(query, "chunked")));
                default -> send(exchange, 404, new byte[0], false);
            }
        }
    }

    private static String param(String query, String name) {
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return null;
    }

    private static void send(HttpExchange exchange, int status, byte[] body, boolean chunked) throws IOException {
        exchange.sendResponseHeaders(status, chunked ? 0 : (body.length == 0 ? -1 : body.length));
        try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < body.length; i += 8192) {
                out.write(body, i, Math.min(8192, body.length - i));
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

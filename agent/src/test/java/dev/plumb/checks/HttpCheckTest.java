package dev.plumb.checks;

import dev.plumb.api.Mismatch;
import dev.plumb.catalog.CheckResult;
import dev.plumb.catalog.CheckStatus;
import static dev.plumb.checks.CheckFixtures.check;
import static dev.plumb.checks.CheckFixtures.problems;
import static dev.plumb.checks.CheckFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The http check against a real HTTP server on loopback. */
class HttpCheckTest {

    private HttpServer server;
    private String base;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/health", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
            exchange.getResponseHeaders().add("X-App", "shop");
            respond(exchange, 200, "{\"status\": \"ok\", \"version\": \"1.4.2\"}\n");
        });
        server.createContext("/down", exchange -> respond(exchange, 503,
                "down for maintenance\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7 with a secret\n"));
        server.createContext("/old", exchange -> {
            exchange.getResponseHeaders().add("Location", "/health");
            respond(exchange, 301, "");
        });
        server.createContext("/method", exchange -> respond(exchange, 200,
                exchange.getRequestMethod().equals("HEAD") ? "" : exchange.getRequestMethod()));
        server.createContext("/vhost", exchange -> respond(exchange, 200,
                "site " + exchange.getRequestHeaders().getFirst("Host")));
        server.createContext("/stuck", exchange -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(exchange, 200, "late");
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        server.stop(0);
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Test
    void aHealthyEndpointPasses() {
        CheckResult result = run(check("http", base + "/health", "body_contains", "\"status\": \"ok\"",
                "body_matches", "\"version\": \"1\\.\\d+\\.\\d+\"", "headers", Map.of("Content-Type", "application/json")));
        assertThat(result.status()).isEqualTo(CheckStatus.PASSED);
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(result.evidence()).isNull();
    }

    @Test
    void aWrongStatusFailsWithTheFirstLinesOfTheAnswer() {
        CheckResult result = run(check("http", base + "/down"));
        assertThat(result.status()).isEqualTo(CheckStatus.FAILED);
        assertThat(result.mismatches()).containsExactly(new Mismatch("status", "200", "503"));
        assertThat(result.evidence()).isEqualTo("HTTP 503 from " + base + "/down\n"
                + "down for maintenance\nline 2\nline 3\nline 4\nline 5\n(2 more lines)");
        assertThat(result.evidence()).doesNotContain("secret");
    }

    @Test
    void theExpectedStatusMayBeAnError() {
        assertThat(run(check("http", base + "/down", "status", 503)).passed()).isTrue();
    }

    @Test
    void bodyAndHeaderMismatchesSayWhatWasFound() {
        CheckResult result = run(check("http", base + "/health", "body_contains", "healthy", "body_matches", "^ready$",
                "headers", Map.of("X-App", "blog", "X-Missing", "x")));
        assertThat(result.mismatches()).containsExactlyInAnyOrder(
                new Mismatch("body_contains", "'healthy'", "a body without it (37 bytes)"),
                new Mismatch("body_matches", "a match for '^ready$'", "none in the body (37 bytes)"),
                new Mismatch("headers", "X-App containing 'blog'", "X-App: shop"),
                new Mismatch("headers", "X-Missing containing 'x'", "no X-Missing header"));
        assertThat(result.evidence()).contains("x-app: shop");
    }

    @Test
    void redirectsAreJudgedThemselvesUnlessFollowed() {
        CheckResult notFollowed = run(check("http", base + "/old"));
        assertThat(notFollowed.mismatches()).containsExactly(new Mismatch("status", "200", "301"));
        assertThat(notFollowed.evidence()).startsWith("HTTP 301 from " + base + "/old\nlocation: /health");

        assertThat(run(check("http", base + "/old", "status", 301)).passed()).isTrue();
        assertThat(run(check("http", base + "/old", "follow_redirects", true, "body_contains", "ok")).passed()).isTrue();
    }

    @Test
    void theMethodIsSent() {
        assertThat(run(check("http", base + "/method", "method", "POST", "body_contains", "POST")).passed()).isTrue();
        assertThat(run(check("http", base + "/method", "method", "HEAD")).passed()).isTrue();
    }

    @Test
    void theHostHeaderAsksOneVirtualHostByAddress() {
        CheckResult shop = run(check("http", base + "/vhost", "host_header", "shop.example", "body_contains", "site shop.example"));
        assertThat(shop.passed()).as(shop.evidence()).isTrue();
        CheckResult blog = run(check("http", base + "/vhost", "host_header", "blog.example:8080", "body_contains", "site shop.example"));
        assertThat(blog.status()).isEqualTo(CheckStatus.FAILED);
        assertThat(blog.evidence()).contains("site blog.example:8080");
        assertThat(run(check("http", base + "/vhost", "body_contains", "site 127.0.0.1:")).passed()).isTrue();
    }

    @Test
    void aHostHeaderThatCouldEndTheHeaderIsRefused() {
        assertThat(problems("http", "http://localhost/", "host_header", "shop.example\r\nX-Evil: 1")).containsExactly(
                "host_header: 'shop.example^M^JX-Evil: 1' is not a host name; expected a name with an optional port, "
                        + "such as shop.example or shop.example:8080");
    }

    @Test
    void aClosedPortFailsWithTheReason() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        CheckResult result = run(check("http", "http://127.0.0.1:" + closed + "/"));
        assertThat(result.status()).isEqualTo(CheckStatus.FAILED);
        assertThat(result.error()).isEqualTo("cannot connect to 127.0.0.1:" + closed + ": connection refused");
    }

    @Test
    void anAnswerSlowerThanTheTimeoutFails() {
        CheckResult result = run(check("http", base + "/stuck", "timeout", "300ms"));
        assertThat(result.error()).isEqualTo("no answer from " + base + "/stuck within 300 ms");
        assertThat(result.millis()).isLessThan(2_000);
    }

    @Test
    void urlsMethodsStatusesAndPatternsAreValidated() {
        assertThat(problems("http", "htp://localhost/")).containsExactly(
                "'htp://localhost/' is not an http or https URL; expected one such as http://localhost:8080/health");
        assertThat(problems("http", "http://local host/")).containsExactly(
                "'http://local host/' is not a valid URL: illegal character in authority at character 8");
        assertThat(problems("http", "http:///path")).containsExactly(
                "'http:///path' names no host; expected a URL such as http://localhost:8080/health");
        assertThat(problems("http", "http://localhost/", "status", 700, "method", "GTE", "body_matches", "(open"))
                .containsExactly("body_matches: '(open' is not a valid regular expression: unclosed group at its end",
                        "method: 'GTE' is not one of GET, HEAD, POST, PUT, DELETE, OPTIONS; did you mean 'GET'?",
                        "status: 700 is not an HTTP status code; expected 100 to 599");
        assertThat(problems("http", "http://localhost/", "method", "HEAD", "body_contains", "x")).containsExactly(
                "method: a HEAD answer has no body to match; use GET, or leave out body_contains and body_matches");
        assertThat(problems("http", "https://localhost:8443/health", "status", 204, "headers", Map.of("A", "b"),
                "insecure", true, "follow_redirects", true, "retries", 3, "interval", "500ms", "timeout", "2s",
                "name", "health")).isEmpty();
        assertThat(problems("http", "http://localhost/", "statuss", 200)).isEqualTo(List.of(
                "unknown attributes [statuss] for a http check"));
    }

    @Test
    void aPortOutOfRangeIsRefusedBeforeAnythingRuns() {
        for (String port : List.of("99999", "0", "65536", "99999999999")) {
            assertThat(problems("http", "http://localhost:" + port + "/")).as(port).containsExactly("'http://localhost:"
                    + port + "/' has port " + port + ", which is not a port; expected a number from 1 to 65535");
        }
        assertThat(problems("http", "http://localhost:65535/")).isEmpty();
        assertThat(problems("http", "http://[::1]:8080/")).isEmpty();
        assertThat(problems("http", "http://[::1]/")).isEmpty();
    }
}

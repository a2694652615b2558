package dev.plumb.checks;

import dev.plumb.api.Check;
import dev.plumb.api.Mismatch;
import dev.plumb.api.PreparedCheck;
import dev.plumb.api.Verdict;
import dev.plumb.catalog.CheckReport;
import dev.plumb.catalog.CheckResult;
import dev.plumb.catalog.CheckStatus;
import static dev.plumb.checks.CheckFixtures.check;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Running checks together: parallelism, time limits, retries, and failures that stay inside their check. */
class CheckRunnerTest {

    private HttpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static PreparedCheck fake(String id, Check check, int retries, Duration timeout) {
        return new PreparedCheck(id, null, check, retries, Duration.ofSeconds(30), timeout);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void startServer(int port) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/health", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    @Test
    void allChecksRunAtOnce() {
        int count = 40;
        CountDownLatch allStarted = new CountDownLatch(count);
        Check waitsForTheOthers = (context, timeout) -> {
            allStarted.countDown();
            // Passes only if every other check is running at the same time.
            return allStarted.await(5, TimeUnit.SECONDS) ? new Verdict() : new Verdict().mismatch("x", "all", "alone");
        };
        List<PreparedCheck> checks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            checks.add(fake("fake[" + i + "]", waitsForTheOthers, 0, Duration.ofSeconds(10)));
        }
        CheckReport report = new CheckRunner(CheckFixtures.context()).run(checks);
        assertThat(report.passed()).isEqualTo(count);
        assertThat(report.results()).extracting(CheckResult::id).startsWith("fake[0]", "fake[1]", "fake[2]");
    }

    @Test
    void aRunTakesAboutAsLongAsItsSlowestCheck() {
        List<PreparedCheck> checks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            checks.add(check("command", "sleep 0.3"));
        }
        CheckReport report = new CheckRunner(CheckFixtures.context()).run(checks);
        assertThat(report.passed()).isEqualTo(6);
        assertThat(report.millis()).as("six checks of 300 ms each, 1800 ms one after another").isLessThan(1_200);
    }

    @Test
    void aRetryingCheckTurnsGreenWhenTheServerStartsDuringItsPause() throws IOException {
        int port = freePort();
        List<Duration> pauses = new ArrayList<>();
        CheckRunner runner = new CheckRunner(CheckFixtures.context(), pause -> {
            pauses.add(pause);
            if (server == null) {
                startServer(port);
            }
        });
        CheckResult result = runner.run(List.of(check("http", "http://127.0.0.1:" + port + "/health",
                "retries", 10, "interval", "3s"))).results().get(0);
        assertThat(result.status()).isEqualTo(CheckStatus.PASSED);
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(pauses).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void aRetryingCheckWaitsForAServerThatStartsLater() throws IOException {
        int port = freePort();
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        try {
            later.schedule(() -> startServer(port), 300, TimeUnit.MILLISECONDS);
            CheckResult result = CheckFixtures.run(check("http", "http://127.0.0.1:" + port + "/health",
                    "retries", 30, "interval", "50ms"));
            assertThat(result.status()).isEqualTo(CheckStatus.PASSED);
            assertThat(result.attempts()).isGreaterThan(1);
            assertThat(result.millis()).isBetween(250L, 2_000L);
        } finally {
            later.shutdownNow();
        }
    }

    @Test
    void aFailingCheckReportsItsLastAttempt() {
        AtomicInteger calls = new AtomicInteger();
        Check failsWithACount = (context, timeout) -> new Verdict().mismatch("x", "1", String.valueOf(calls.incrementAndGet()));
        CheckRunner runner = new CheckRunner(CheckFixtures.context(), pause -> { });
        CheckResult result = runner.run(List.of(fake("fake[x]", failsWithACount, 2, Duration.ofSeconds(1)))).results().get(0);
        assertThat(result.attempts()).isEqualTo(3);
        assertThat(result.mismatches()).containsExactly(new Mismatch("x", "1", "3"));
    }

    @Test
    void anAttemptPastItsTimeoutIsAbandoned() {
        Check hangs = (context, timeout) -> {
            new CountDownLatch(1).await();
            return new Verdict();
        };
        CheckRunner runner = new CheckRunner(CheckFixtures.context(), pause -> { });
        long start = System.nanoTime();
        CheckResult result = runner.run(List.of(fake("fake[hangs]", hangs, 1, Duration.ofMillis(100)))).results().get(0);
        assertThat(result.error()).isEqualTo("no answer within 100 ms (timeout)");
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void whatAChecksThrowsStaysInThatCheck() {
        Check io = (context, timeout) -> {
            throw new IOException("disk on fire");
        };
        Check bug = (context, timeout) -> {
            throw new IllegalStateException("boom");
        };
        CheckReport report = new CheckRunner(CheckFixtures.context()).run(List.of(
                fake("fake[io]", io, 0, Duration.ofSeconds(1)), fake("fake[bug]", bug, 0, Duration.ofSeconds(1)),
                fake("fake[fine]", (context, timeout) -> new Verdict(), 0, Duration.ofSeconds(1))));
        assertThat(report.results()).extracting(CheckResult::error).containsExactly("disk on fire",
                "unexpected java.lang.IllegalStateException: boom (this is a bug in plumb)", null);
        assertThat(report.failed()).isEqualTo(2);
        assertThat(report.passed()).isEqualTo(1);
    }
}

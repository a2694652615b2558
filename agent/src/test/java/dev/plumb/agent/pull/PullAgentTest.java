package dev.plumb.agent.pull;

import static dev.plumb.Fixtures.content;
import static dev.plumb.Fixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.catalog.Catalog;
import dev.plumb.catalog.HostInfo;
import dev.plumb.catalog.Json;
import dev.plumb.catalog.ProjectSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent against a plumb server's API on loopback HTTPS ({@link ServerStub}): enrolling checks the server's CA
 * against the token and keeps the credential private; a round applies the catalog to files in a temp directory and
 * the server gets the report once, however often the server was down in between.
 */
class PullAgentTest {

    private static final String HOST = "web1";

    @TempDir
    static Path keys;

    @TempDir
    Path dir;

    private ServerStub server;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void makeKeys() throws Exception {
        ServerStub.makeKeys(keys);
    }

    @BeforeEach
    void startServer() throws Exception {
        server = ServerStub.start(keys);
        server.catalog = Json.MAPPER.writeValueAsBytes(motd("hello\n"));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private Catalog motd(String text) {
        return new Catalog(Catalog.VERSION, new HostInfo(HOST, "prod", List.of()),
                List.of(resource("file", dir.resolve("motd").toString(), content(text)))).from(new ProjectSource("3f2a9c1", false));
    }

    private Path state() {
        return dir.resolve("state");
    }

    private int plumbAgent(String... args) {
        return PullCommands.run(List.of(args), new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private int enroll(URI url, String token) {
        return plumbAgent("enroll", "--server", url.toString(), "--host", HOST, "--token", token, "--state-dir",
                state().toString());
    }

    private PullAgent agent() {
        return agent(null);
    }

    private PullAgent agent(URI server) {
        return new PullAgent(state(), server, new AgentLog(new PrintWriter(err, true), Clock.systemUTC()));
    }

    private List<String> spooled() throws IOException {
        try (Stream<Path> files = Files.list(state().resolve("agent/spool"))) {
            return files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void enrollingKeepsTheCaTheCredentialAndTheServerReadableByThisUserAlone() throws Exception {
        int code = enroll(server.url(), server.token(HOST));

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("enrolled web1 with " + server.url() + "; its credential is in "
                + state().resolve("agent/credential"));
        Path agent = state().resolve("agent");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(agent))).isEqualTo("rwx------");
        for (String file : List.of("ca.pem", "credential", "server.json")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(agent.resolve(file))))
                    .as(file).isEqualTo("rw-------");
        }
        assertThat(Files.readString(agent.resolve("credential")).strip()).isEqualTo(server.credentialOf(HOST));
        assertThat(Json.MAPPER.readValue(agent.resolve("server.json").toFile(), Map.class))
                .containsEntry("server", server.url().toString()).containsEntry("host", HOST);
        assertThat(Files.readString(agent.resolve("ca.pem"))).startsWith("-----BEGIN CERTIFICATE-----\n");
        try (Stream<Path> files = Files.list(agent)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("ca.pem", "credential",
                    "server.json");
        }
    }

    @Test
    void aTokenForAnotherCaIsRefusedAndNothingIsSaved() throws Exception {
        String token = server.token(HOST);
        String otherCa = token.substring(0, token.indexOf('.') + 1) + "0".repeat(64);

        int code = enroll(server.url(), otherCa);

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).startsWith("refusing to enroll: the CA certificate " + server.url() + " presents has sha256 "
                + server.caFingerprint() + ", but the token is for a CA with sha256 " + "0".repeat(64))
                .contains("someone may be intercepting the connection; nothing was saved");
        assertThat(state()).doesNotExist();
        assertThat(server.credentialOf(HOST)).isNull();
    }

    @Test
    void aServerWhoseCertificateDoesNotNameItsUrlIsRefused() throws Exception {
        URI byName = URI.create("https://localhost:" + server.url().getPort());

        int code = enroll(byName, server.token(HOST));

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).startsWith("cannot enroll with " + byName + ": POST " + byName
                + "/api/v1/enroll: TLS failed: No name matching localhost found")
                .endsWith("; nothing was saved\n");
        assertThat(state()).doesNotExist();
    }

    @Test
    void aRoundAppliesTheCatalogAndTheServerGetsTheReport() throws Exception {
        enroll(server.url(), server.token(HOST));

        int code = agent().runOnce();

        assertThat(code).as(err.toString()).isEqualTo(2);
        assertThat(Files.readString(dir.resolve("motd"))).isEqualTo("hello\n");
        assertThat(server.stored).hasSize(1);
        Map<?, ?> report = server.posted.get(0);
        assertThat(report.get("host")).isEqualTo(HOST);
        assertThat(report.get("mode")).isEqualTo("APPLY");
        assertThat(report.get("source")).isEqualTo(Map.of("commit", "3f2a9c1", "dirty", false));
        assertThat(spooled()).isEmpty();
        assertThat(err.toString()).contains("plumb-agent: web1: applied commit 3f2a9c1 (run " + report.get("runId")
                + "): 1 resources, 1 changed, 0 failed, 0 skipped, 0 checks failed; report sent\n")
                .doesNotContain(server.credentialOf(HOST)).doesNotContain("hello");
    }

    @Test
    void aReportTheServerCouldNotTakeIsSentByALaterRoundExactlyOnce() throws Exception {
        enroll(server.url(), server.token(HOST));
        server.reportStatus = 503;
        URI dead = deadServer();

        int failing = agent().runOnce();
        List<String> afterFailing = spooled();
        int down = agent(dead).runOnce();
        List<String> afterDown = spooled();
        server.reportStatus = 200;
        server.catalog = Json.MAPPER.writeValueAsBytes(motd("changed\n"));
        int back = agent().runOnce();

        assertThat(failing).isEqualTo(2);
        assertThat(afterFailing).hasSize(1);
        assertThat(err.toString()).contains("; report kept in the spool for the next round: POST " + server.url()
                + "/api/v1/hosts/web1/reports answered 503: report status set by the test\n");
        assertThat(down).isEqualTo(PullAgent.NOTHING_APPLIED);
        assertThat(afterDown).isEqualTo(afterFailing);
        assertThat(err.toString()).contains("plumb-agent: no catalog this round: GET " + dead
                + "/api/v1/hosts/web1/fact-request: connection refused; the host stays as it is, next round tries again\n");
        assertThat(back).isEqualTo(2);
        assertThat(server.stored).hasSize(2).first().isEqualTo(afterFailing.get(0).replace(".json", ""));
        assertThat(server.posted.stream().map(r -> (Object) r.get("runId")).toList()).containsExactly(server.stored.get(0),
                server.stored.get(0), server.stored.get(1));
        assertThat(err.toString()).contains("plumb-agent: sent 1 spooled report(s) to the server\n");
        assertThat(spooled()).isEmpty();
        assertThat(Files.readString(dir.resolve("motd"))).isEqualTo("changed\n");
    }

    /** An https URL where nothing listens: a port that was free a moment ago. */
    private static URI deadServer() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return URI.create("https://127.0.0.1:" + socket.getLocalPort());
        }
    }

    @Test
    void aRefusedCredentialEndsTheRoundAndKeepsTheSpool() throws Exception {
        enroll(server.url(), server.token(HOST));
        server.reportStatus = 503;
        agent().runOnce();
        server.reportStatus = 200;
        server.revoke(HOST);
        Files.delete(dir.resolve("motd"));

        int code = agent().runOnce();

        assertThat(code).isEqualTo(PullAgent.NOTHING_APPLIED);
        assertThat(err.toString()).contains("plumb-agent: web1: credential refused: enroll again (the server answered "
                + "401: unauthorized; get a token with plumb server enroll web1, then run plumb-agent enroll --server "
                + server.url() + " --host web1 --token TOKEN)\n");
        assertThat(dir.resolve("motd")).doesNotExist();
        assertThat(spooled()).hasSize(1);
        assertThat(server.stored).isEmpty();
    }

    @Test
    void aReportTheServerRejectsMovesAsideAndTheOthersGoOn() throws Exception {
        enroll(server.url(), server.token(HOST));
        server.reportStatus = 400;

        agent().runOnce();

        assertThat(spooled()).isEmpty();
        try (Stream<Path> rejected = Files.list(state().resolve("agent/spool/rejected"))) {
            assertThat(rejected).hasSize(1);
        }
        assertThat(err.toString()).contains("the server rejected report ").contains(" (400: report status set by the "
                + "test); moved to " + state().resolve("agent/spool/rejected"));
    }

    @Test
    void aCatalogLargerThanTheLimitIsRefusedWhetherOrNotItsLengthIsDeclared() throws Exception {
        enroll(server.url(), server.token(HOST));
        server.catalogBodyLength = PullAgent.CATALOG_LIMIT + 1;

        int declared = agent().runOnce();
        server.catalogLengthDeclared = false;
        int streamed = agent().runOnce();

        assertThat(declared).isEqualTo(PullAgent.NOTHING_APPLIED);
        assertThat(streamed).isEqualTo(PullAgent.NOTHING_APPLIED);
        assertThat(err.toString().lines().filter(line -> line.contains("no catalog this round: POST " + server.url()
                + "/api/v1/hosts/web1/catalog: the response is larger than the 64 MiB the agent accepts"))).hasSize(2);
        assertThat(dir.resolve("motd")).doesNotExist();
    }

    @Test
    void noGoodCommitYetOrACatalogThatDoesNotCompileChangesNothing() throws Exception {
        enroll(server.url(), server.token(HOST));
        server.catalogStatus = 503;
        server.catalogError = "no commit has compiled yet";

        int noCommit = agent().runOnce();
        server.catalogStatus = 422;
        server.catalogError = "roles/web/main.yaml:3:5: unknown type 'fiel'";
        int broken = agent().runOnce();

        assertThat(noCommit).isEqualTo(PullAgent.NOTHING_APPLIED);
        assertThat(broken).isEqualTo(PullAgent.NOTHING_APPLIED);
        assertThat(err.toString()).contains("plumb-agent: the server has no catalog yet (503: no commit has compiled yet); "
                + "the host stays as it is, next round tries again\n")
                .contains("plumb-agent: the server cannot compile web1's catalog (422: roles/web/main.yaml:3:5: unknown "
                        + "type 'fiel'); the host stays as it is, next round tries again\n");
        assertThat(dir.resolve("motd")).doesNotExist();
    }

    @Test
    void aCatalogForAnotherHostIsNotApplied() throws Exception {
        enroll(server.url(), server.token(HOST));
        server.catalog = Json.MAPPER.writeValueAsBytes(new Catalog(Catalog.VERSION, new HostInfo("web2", "prod", List.of()),
                List.of(resource("file", dir.resolve("motd").toString(), content("web2\n")))));

        int code = agent().runOnce();

        assertThat(code).isEqualTo(PullAgent.NOTHING_APPLIED);
        assertThat(err.toString()).contains("/api/v1/hosts/web1/catalog is for host 'web2', not web1; not applied");
        assertThat(dir.resolve("motd")).doesNotExist();
    }

    @Test
    void runningWithoutEnrollingSaysHow() {
        int code = plumbAgent("run", "--once", "--state-dir", state().toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("this host is not enrolled with a plumb server (" + state().resolve(
                "agent/server.json") + " is missing): run plumb-agent enroll --server URL --host NAME --token TOKEN, "
                + "with a token from plumb server enroll NAME\n");
    }

    @Test
    void theLoopRunsUntilStoppedAndThenEnds() throws Exception {
        enroll(server.url(), server.token(HOST));
        PullAgent agent = agent();

        CompletableFuture<Integer> loop = CompletableFuture.supplyAsync(
                () -> agent.runEvery(Duration.ofHours(1), Duration.ofMinutes(5), ThreadLocalRandom.current()));
        boolean reported = server.awaitReport(Duration.ofSeconds(60));
        agent.stop();

        assertThat(reported).as(err.toString()).isTrue();
        assertThat(loop.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(server.stored).hasSize(1);
        assertThat(err.toString()).contains("plumb-agent: started: a run every 60 min (+ up to 5 min splay)")
                .endsWith("plumb-agent: stopped\n");
    }
}

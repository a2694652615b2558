package dev.plumb.server;

import static dev.plumb.server.ServerApiTest.awaitUntil;
import static dev.plumb.server.ServerApiTest.json;
import static dev.plumb.server.ServerApiTest.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.agent.pull.AgentLog;
import dev.plumb.agent.pull.Enrollment;
import dev.plumb.agent.pull.PullAgent;
import dev.plumb.catalog.Json;
import dev.plumb.catalog.Mode;
import dev.plumb.server.store.PostgresCluster;
import dev.plumb.server.store.Reports;
import dev.plumb.server.store.StoreConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pull loop with real parts on loopback: a git repository made here, real servers (in this JVM, or as a
 * process of their own to be killed), and real agents ({@link PullAgent}) converging directories of their own.
 */
class ServerEndToEndTest {

    @TempDir
    Path temp;

    final StringWriter agentLog = new StringWriter();

    @Test
    void agentsConvergeToEachNewCommitAndKeepTheLastGoodOne() throws Exception {
        try (FleetRepository repository = FleetRepository.create(temp.resolve("repo"), temp.resolve("web1"), temp.resolve("web2"));
             TestServer server = TestServer.start(temp.resolve("server"), repository.directory())) {
            String first = server.server.servedCommit();
            PullAgent web1 = enrolledAgent(server, "web1", null);
            PullAgent web2 = enrolledAgent(server, "web2", null);
            assertThat(web1.runOnce()).as(agentLog.toString()).isEqualTo(2);
            assertThat(web2.runOnce()).as(agentLog.toString()).isEqualTo(2);
            assertThat(motd("web1")).isEqualTo("first\n");
            assertThat(motd("web2")).isEqualTo("first\n");

            String second = repository.commitMotd("second");
            server.admin().post("/api/v1/hooks/git", new byte[0]);
            awaitUntil(() -> second.equals(server.server.servedCommit()));
            assertThat(web1.runOnce()).isEqualTo(2);
            assertThat(web2.runOnce()).isEqualTo(2);
            assertThat(motd("web1")).isEqualTo("second\n");

            String broken = repository.commitBroken();
            server.admin().post("/api/v1/hooks/git", new byte[0]);
            awaitUntil(() -> text(server.admin().get("/api/v1/commits")).contains(broken));
            assertThat(web1.runOnce()).isZero();
            assertThat(motd("web1")).isEqualTo("second\n");

            List<Map<String, Object>> commits = Json.MAPPER.readValue(server.admin().get("/api/v1/commits").body(), List.class);
            assertThat(commits).anySatisfy(commit -> assertThat(commit).containsEntry("commit", broken)
                    .containsEntry("valid", false).hasEntrySatisfying("error", error ->
                            assertThat(error.toString()).startsWith("roles/site.yaml:4:5: ")));
            assertThat(commits).anySatisfy(commit -> assertThat(commit).containsEntry("commit", second)
                    .containsEntry("hosts", List.of("web1", "web2")));
            assertThat(first).isNotEqualTo(second);
            List<Map<String, Object>> hosts = Json.MAPPER.readValue(server.admin().get("/api/v1/hosts").body(), List.class);
            assertThat(hosts).extracting(host -> host.get("host") + " " + host.get("status") + " " + host.get("commit"))
                    .containsExactly("web1 in_sync " + second, "web2 changed " + second);
        }
    }

    @Test
    void aCommitThatAddsAFactOfItsOwnIsServedAndAgentsGatherIt() throws Exception {
        try (FleetRepository repository = FleetRepository.create(temp.resolve("repo"), temp.resolve("web1"), temp.resolve("web2"));
             TestServer server = TestServer.start(temp.resolve("server"), repository.directory())) {
            PullAgent web1 = enrolledAgent(server, "web1", null);
            assertThat(web1.runOnce()).as(agentLog.toString()).isEqualTo(2);

            // The server knows web1's facts from before the fact existed: they cannot hold the commit back.
            String withFact = repository.commitProjectFact("echo gathered on the host");
            server.admin().post("/api/v1/hooks/git", new byte[0]);
            awaitUntil(() -> withFact.equals(server.server.servedCommit()));
            assertThat(web1.runOnce()).as(agentLog.toString()).isEqualTo(2);
            assertThat(motd("web1")).isEqualTo("gathered on the host\n");
        }
    }

    @Test
    void aServerKilledDuringIngestLosesNoReportAndCountsNoneTwice() throws Exception {
        Path state = temp.resolve("server");
        int port = freePort();
        try (FleetRepository repository = FleetRepository.create(temp.resolve("repo"), temp.resolve("web1"), temp.resolve("web2"))) {
            Process server = startServerProcess(state, repository.directory(), port);
            URI url = URI.create("https://localhost:" + port);
            ServerClient admin = ServerClient.of(url, AdminToken.read(state.resolve("server/admin-token")),
                    state.resolve("server/tls/ca.pem"));
            String credential = enrollOverHttp(admin, "web1");
            ServerClient web1 = ServerClient.of(url, credential, state.resolve("server/tls/ca.pem"));

            // As agents do: a report leaves the spool only once the server answered 200 for it.
            Map<String, byte[]> spool = new ConcurrentHashMap<>();
            for (int i = 0; i < 400; i++) {
                var report = Reports.report("web1", Mode.APPLY, "a".repeat(40), Instant.now(), Reports.resources(200, 3, 0));
                spool.put(report.runId(), Reports.json(report));
            }
            Set<String> sent = Set.copyOf(spool.keySet());
            ExecutorService agents = Executors.newFixedThreadPool(4);
            for (String runId : sent) {
                agents.execute(() -> post(web1, runId, spool));
            }
            awaitUntil(() -> spool.size() <= 300);
            server.destroyForcibly().waitFor();
            agents.shutdown();
            assertThat(agents.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            assertThat(spool).as("reports the killed server never acknowledged").isNotEmpty();

            server = startServerProcess(state, repository.directory(), port);
            try {
                for (String runId : List.copyOf(spool.keySet())) {
                    post(web1, runId, spool);
                }
                assertThat(spool).isEmpty();
                List<Map<String, Object>> runs = Json.MAPPER.readValue(admin.get("/api/v1/hosts/web1/runs?limit=1000").body(), List.class);
                assertThat(runs).extracting(run -> (String) run.get("runId"))
                        .as("every report stored once, those answered 200 before the kill too").doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(sent);
            } finally {
                server.destroy();
                server.waitFor();
            }
        }
    }

    @Test
    void twoServersOnOnePostgresqlServeOneFleet() throws Exception {
        try (PostgresCluster cluster = PostgresCluster.start();
             FleetRepository repository = FleetRepository.create(temp.resolve("repo"), temp.resolve("web1"), temp.resolve("web2"))) {
            String database = cluster.createDatabase();
            Path stateA = temp.resolve("a");
            Path stateB = temp.resolve("b");
            try (TestServer a = TestServer.start(stateA, repository.directory(), store(database, stateA), 0)) {
                // The second server shares the first's CA and admin token: agents trust either, the admin uses either.
                Files.createDirectories(stateB.resolve("server/tls"));
                for (String file : List.of("tls/ca.pem", "tls/ca.key", "admin-token")) {
                    Files.copy(stateA.resolve("server").resolve(file), stateB.resolve("server").resolve(file));
                }
                try (TestServer b = TestServer.start(stateB, repository.directory(), store(database, stateB), 0)) {
                    PullAgent web1 = enrolledAgent(a, "web1", null);
                    PullAgent web2 = enrolledAgent(a, "web2", b.url);
                    assertThat(web1.runOnce()).as(agentLog.toString()).isEqualTo(2);
                    assertThat(web2.runOnce()).as(agentLog.toString()).isEqualTo(2);
                    assertThat(motd("web2")).isEqualTo("first\n");
                    for (TestServer server : List.of(a, b)) {
                        List<Map<String, Object>> hosts = Json.MAPPER.readValue(server.admin().get("/api/v1/hosts").body(), List.class);
                        assertThat(hosts).extracting(host -> host.get("host") + " " + host.get("status"))
                                .containsExactly("web1 changed", "web2 changed");
                    }
                }
            }
        }
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    /** The agent of {@code host}, enrolled with {@code server}, talking to {@code talkTo} (null: that same server). */
    PullAgent enrolledAgent(TestServer server, String host, URI talkTo) throws Exception {
        Path state = temp.resolve("agent-" + host);
        String token = (String) Json.MAPPER.readValue(server.admin().post("/api/v1/enroll-tokens",
                json(Map.of("host", host))).body(), Map.class).get("token");
        Enrollment.enroll(server.url, host, token, state, Clock.systemUTC());
        return new PullAgent(state, talkTo, new AgentLog(new PrintWriter(agentLog, true), Clock.systemUTC()));
    }

    static String enrollOverHttp(ServerClient admin, String host) throws IOException {
        String token = (String) Json.MAPPER.readValue(admin.post("/api/v1/enroll-tokens", json(Map.of("host", host))).body(),
                Map.class).get("token");
        return (String) Json.MAPPER.readValue(admin.post("/api/v1/enroll", json(Map.of("host", host, "token", token))).body(),
                Map.class).get("credential");
    }

    /** Posts a spooled report; it leaves the spool on a 200 only, as an agent's does. */
    static void post(ServerClient client, String runId, Map<String, byte[]> spool) {
        try {
            if (client.post("/api/v1/hosts/web1/reports", spool.get(runId)).status() == 200) {
                spool.remove(runId);
            }
        } catch (IOException e) {
            // the server went away: the report stays in the spool
        }
    }

    String motd(String host) throws IOException {
        return Files.readString(temp.resolve(host).resolve("motd"));
    }

    static StoreConfig store(String database, Path state) {
        return new StoreConfig(database, PostgresCluster.USER, PostgresCluster.PASSWORD, state);
    }

    /** {@code plumb server} as a process of its own, as a user runs it; returns once it answers. */
    Process startServerProcess(Path state, Path repository, int port) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), "dev.plumb.cli.Main", "server", "--state-dir",
                state.toString(), "--repo", repository.toString(), "--listen", "127.0.0.1:" + port,
                "--fetch-interval", "1h"));
        Path log = Files.createTempFile(temp, "server", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitUntil(() -> {
                assertThat(process.isAlive()).as(Files.readString(log)).isTrue();
                return Files.readString(log).contains("plumb server listening on https://127.0.0.1:" + port);
            });
        } catch (AssertionError e) {
            process.destroyForcibly();
            throw new AssertionError("the server did not start: " + Files.readString(log), e);
        }
        return process;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

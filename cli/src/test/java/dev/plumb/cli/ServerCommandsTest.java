package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.catalog.Json;
import dev.plumb.server.FleetRepository;
import dev.plumb.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plumb server enroll|revoke}, {@code plumb status} and {@code plumb apply --server} against a real server. */
class ServerCommandsTest {

    @TempDir
    Path temp;

    FleetRepository repository;
    TestServer server;
    Path serverState;

    @BeforeEach
    void start() throws Exception {
        repository = FleetRepository.create(temp.resolve("repo"), temp.resolve("web1"), temp.resolve("web2"));
        serverState = temp.resolve("server");
        server = TestServer.start(serverState, repository.directory());
    }

    @AfterEach
    void stop() {
        server.close();
        repository.close();
    }

    @Test
    void enrollPrintsAOneTimeTokenAndTheCommandsTheHostRuns() {
        InProcess enroll = plumb("server", "enroll", "web1");
        assertThat(enroll.exit()).as(enroll.all()).isZero();
        String token = enroll.out().lines().skip(1).findFirst().orElseThrow().strip();
        assertThat(token).matches("[A-Za-z0-9_-]{43}\\.[0-9a-f]{64}");
        assertThat(enroll.out()).matches("Enrolment token for web1 \\(one use, valid until \\S+Z\\):\n  " + token + "\n\n"
                + "On web1, as root:\n"
                + "  plumb-agent enroll --server " + server.url + " --host web1 --token " + token + "\n"
                + "  plumb-agent install --server " + server.url + "\n");
    }

    @Test
    void revokeSaysWhatHappensAndNamesAHostNeverEnrolled() {
        plumb("server", "enroll", "web1");
        assertThat(plumb("server", "revoke", "web9").all())
                .isEqualTo("plumb: the server answered 404: no enrolled host web9\n");
    }

    @Test
    void applyWithServerPostsEachHostsReportAndStatusShowsTheFleet() throws Exception {
        String commit = server.server.servedCommit();
        InProcess apply = InProcess.plumb(List.of("apply", "-p", repository.directory().toString(), "--hosts", "web1",
                "--state-dir", temp.resolve("controller").toString(), "--server", server.url.toString(),
                "--server-token-file", serverState.resolve("server/admin-token").toString(),
                "--server-ca", server.caPem().toString()));
        assertThat(apply.exit()).as(apply.all()).isEqualTo(2);
        assertThat(apply.err()).doesNotContain("not posted");

        InProcess status = plumb("status");
        assertThat(status.exit()).as(status.all()).isZero();
        List<String> lines = status.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("HOST  STATUS           COMMIT        LAST REPORT");
        assertThat(lines.get(1)).startsWith("web1  changed          " + commit.substring(0, 12) + "  20");
        assertThat(lines).hasSize(2);

        InProcess json = plumb("status", "--format", "json");
        List<Map<String, Object>> hosts = Json.MAPPER.readValue(json.out(), List.class);
        assertThat(hosts).singleElement().satisfies(host -> assertThat(host).containsEntry("host", "web1")
                .containsEntry("status", "changed").containsEntry("commit", commit));
    }

    @Test
    void aWrongTokenOrNoServerIsExit1WithTheReason() throws Exception {
        Path wrong = Files.writeString(temp.resolve("wrong-token"), "not-the-token\n");
        InProcess refused = plumb("status", "--token-file", wrong.toString());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).isEqualTo("plumb: the server answered 401: unauthorized\n");

        InProcess unreachable = InProcess.plumb(List.of("status", "--server", "https://127.0.0.1:1",
                "--state-dir", serverState.toString()));
        assertThat(unreachable.exit()).isEqualTo(1);
        assertThat(unreachable.err()).startsWith("plumb: cannot reach the server at https://127.0.0.1:1: ");
    }

    @Test
    void aServerThatCannotStartSaysWhyWithExit1() {
        assertThat(InProcess.plumb(List.of("server", "--state-dir", temp.resolve("s").toString())).all())
                .isEqualTo("plumb: --repo is required: the project's git repository, a URL or a path\n");
        assertThat(InProcess.plumb(List.of("server", "--repo", "r", "--listen", "8443")).all())
                .isEqualTo("plumb: --listen 8443: expected HOST:PORT, e.g. 127.0.0.1:8443 or 0.0.0.0:8443\n");
        InProcess duration = InProcess.plumb(List.of("server", "--repo", "r", "--retention", "3w"));
        assertThat(duration.exit()).isEqualTo(1);
        assertThat(duration.err()).contains("'3w' is not a duration; write a number and a unit: 500ms, 60s, 30m, 12h or 90d");
    }

    @Test
    void applyWithoutServerLoadsNothingOfTheServer() throws Exception {
        Path classes = temp.resolve("classes.log");
        Process apply = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "-Xlog:class+load=info:file=" + classes, "-cp", System.getProperty("java.class.path"),
                "dev.plumb.cli.Main", "apply", "-p", repository.directory().toString(), "--hosts", "web1",
                "--state-dir", temp.resolve("controller").toString()).redirectErrorStream(true)
                .redirectOutput(temp.resolve("apply.out").toFile()).start();
        assertThat(apply.waitFor()).as(Files.readString(temp.resolve("apply.out"))).isEqualTo(2);
        assertThat(Files.readString(classes)).contains("dev.plumb.cli.RunCommand")
                .doesNotContain("dev.plumb.server", "io.javalin", "org.eclipse.jetty", "org.eclipse.jgit",
                        "org.bouncycastle", "org.h2", "org.flywaydb");
    }

    /** {@code plumb ARGS} as the admin on the server's machine: its state directory and URL. */
    InProcess plumb(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", server.url.toString(), "--state-dir", serverState.toString()));
        return InProcess.plumb(all);
    }
}

package dev.plumb.agent;

import static dev.plumb.Fixtures.catalog;
import static dev.plumb.Fixtures.content;
import static dev.plumb.Fixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.Processes;
import dev.plumb.catalog.Catalog;
import dev.plumb.catalog.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real agents in child processes: a second apply meets the first one's run lock, and SIGTERM stops an apply in an
 * orderly way. File locks belong to processes, so these cannot be threads of the test's JVM.
 */
class AgentProcessTest {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private Process agent;

    @AfterEach
    void killTheAgent() throws InterruptedException {
        if (agent != null) {
            agent.destroyForcibly();
            agent.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private Path state() {
        return dir.resolve("state");
    }

    private Path write(String name, Catalog catalog) throws IOException {
        return Files.write(dir.resolve(name), Json.MAPPER.writeValueAsBytes(catalog));
    }

    /** Starts a real agent applying {@code catalogFile}; its output goes to {@code agent.log}. */
    private Process startAgent(Path catalogFile) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        agent = new ProcessBuilder(java, "-D" + RunLock.TEST_LOCK_PROPERTY + "=" + testLock(),
                "-cp", System.getProperty("java.class.path"), AgentMain.class.getName(),
                "apply", catalogFile.toString(), "--state-dir", state().toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("agent.log").toFile())
                .start();
        return agent;
    }

    /** The run lock of the test's applies, in its JVM and in the agents it starts. */
    private static String testLock() {
        return System.getProperty(RunLock.TEST_LOCK_PROPERTY);
    }

    private void awaitFile(Path file) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!Files.exists(file)) {
            assertThat(agent.isAlive()).as("agent still running; its output:\n%s", log()).isTrue();
            assertThat(System.nanoTime() < deadline).as("%s appears within %s", file, LIMIT).isTrue();
            Thread.sleep(20);
        }
    }

    private String log() throws IOException {
        return Files.readString(dir.resolve("agent.log"));
    }

    @Test
    void aSecondApplyWithAnotherStateDirectoryWaitsForTheLockThenFailsNamingTheRunThatHoldsIt() throws Exception {
        Path started = dir.resolve("started");
        Path release = dir.resolve("release");
        startAgent(write("first.json", catalog(resource("exec", "hold", Map.of("command",
                "touch " + started + "; while [ ! -e " + release + " ]; do sleep 0.05; done")))));
        awaitFile(started);
        Path second = dir.resolve("second");
        Path otherState = dir.resolve("other-state");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long start = System.nanoTime();

        int code = AgentMain.run(new String[] {"apply", write("second.json", catalog(resource("file", second.toString(),
                        content("x\n")))).toString(), "--state-dir", otherState.toString(), "--lock-timeout", "1"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(err.toString(StandardCharsets.UTF_8)).matches("another plumb run \\(pid " + agent.pid()
                + "\\) holds the lock since \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ; nothing was changed\\. Waited 1 s for "
                + testLock() + " \\(--lock-timeout\\); try again when that run has ended\n");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(second).doesNotExist();
        assertThat(AgentMain.run(new String[] {"plan", dir.resolve("second.json").toString(), "--state-dir",
                state().toString(), "--lock-timeout", "0"}, new PrintStream(out), new PrintStream(err)))
                .as("a plan changes nothing and takes no lock").isEqualTo(2);

        Files.createFile(release);
        assertThat(agent.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(agent.exitValue()).as(log()).isEqualTo(2);
        assertThat(AgentMain.run(new String[] {"apply", dir.resolve("second.json").toString(), "--state-dir",
                state().toString()}, new PrintStream(out), new PrintStream(err))).as("once the first run ended").isEqualTo(2);
    }

    @Test
    void sigtermKillsTheRunningExecWithWhatItStartedReportsAndExitsAsUsual() throws Exception {
        Path sleep = Processes.markedSleep(dir);
        Path started = dir.resolve("started");
        Path after = dir.resolve("after");
        try {
            startAgent(write("catalog.json", catalog(
                    resource("exec", "long", Map.of("command",
                            "(" + sleep + " 300 &) ; " + sleep + " 301 & touch " + started + "; wait")),
                    resource("file", after.toString(), List.of("exec:long"), List.of(), content("x\n")))));
            awaitFile(started);

            agent.destroy(); // SIGTERM

            assertThat(agent.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)).as("the agent exits").isTrue();
            assertThat(agent.exitValue()).as(log()).isEqualTo(4);
            assertThat(Processes.survivors(sleep.toString(), Duration.ofSeconds(10))).as("processes the exec started")
                    .isEmpty();
        } finally {
            Processes.kill(sleep.toString());
        }
        assertThat(log()).contains("! exec[long] failed: '(" + sleep + " 300 &) ; ")
                .contains("': killed: the run was interrupted\n")
                .contains("  file[" + after + "] skipped: run interrupted\n");
        List<Path> reports;
        try (Stream<Path> files = Files.list(state().resolve("reports"))) {
            reports = files.toList();
        }
        assertThat(reports).hasSize(1);
        Map<?, ?> report = Json.MAPPER.readValue(Files.readString(reports.get(0)), Map.class);
        assertThat(report.get("summary")).isEqualTo(Map.of("resources", 2, "changed", 0, "failed", 1, "skipped", 1));
        assertThat(after).doesNotExist();
    }
    @Test
    void aRefreshDueWhenTheApplyIsKilledRunsInTheNextApply() throws Exception {
        Path sleep = Processes.markedSleep(dir);
        Path config = dir.resolve("app.conf");
        Path restarting = dir.resolve("restarting");
        Path secondRun = dir.resolve("second-run");
        Path restarted = dir.resolve("restarted");
        Path catalogFile = write("catalog.json", catalog(
                resource("file", config.toString(), List.of(), List.of("exec:restart"), content("new\n")),
                resource("exec", "restart", Map.of("refreshonly", true, "command", "if [ -e " + secondRun + " ]; then touch "
                        + restarted + "; else touch " + restarting + "; exec " + sleep + " 300; fi"))));
        try {
            startAgent(catalogFile);
            awaitFile(restarting);

            agent.destroyForcibly(); // SIGKILL: no handler runs, nothing is saved at the end of the run
            assertThat(agent.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)).as("the killed agent exits").isTrue();
        } finally {
            Processes.kill(sleep.toString());
        }
        Path pending = state().resolve("pending-refresh.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pending))).isEqualTo("rw-------");
        Files.createFile(secondRun);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int code = AgentMain.run(new String[] {"apply", catalogFile.toString(), "--state-dir", state().toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("notified by file[" + config + "] in an earlier run");
        assertThat(restarted).exists();
        assertThat(Json.MAPPER.readValue(Files.readString(pending), Map.class)).as("nothing pending once it ran").isEmpty();
    }
}

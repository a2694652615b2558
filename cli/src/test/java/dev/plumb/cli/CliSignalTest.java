package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.compiler.ProjectFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C on a real {@code plumb apply}: what was done is reported, the exec's processes die, the exit code is as usual. */
class CliSignalTest {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private Process plumb;

    @AfterEach
    void killPlumb() throws InterruptedException {
        if (plumb != null) {
            plumb.destroyForcibly();
            plumb.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void sigintStopsAnApplyWithItsReportAndTheUsualExitCode() throws Exception {
        // A sleep of this test's own: its processes are found by their executable, double-forked or not.
        Path sleep = Files.copy(Path.of("/bin/sleep"), dir.resolve("sleep"), StandardCopyOption.COPY_ATTRIBUTES);
        Path started = dir.resolve("started");
        Path after = dir.resolve("after");
        Path state = dir.resolve("state");
        ProjectFiles project = new ProjectFiles(Files.createDirectory(dir.resolve("project"))).role("""
                resources:
                  - exec: long
                    command: "touch %1$s; (%2$s 300 &) ; %2$s 301"
                  - file: %3$s
                    content: "x\\n"
                    requires: exec:long
                """.formatted(started, sleep, after));
        String java = ProcessHandle.current().info().command().orElseThrow();
        // A job started in the background of a non-interactive shell inherits SIGINT ignored, and a JVM leaves an
        // ignored SIGINT ignored: env gives plumb the default disposition a terminal's Ctrl-C meets.
        plumb = new ProcessBuilder("env", "--default-signal=INT", java,
                "-Dplumb.runLockForTests=" + System.getProperty("plumb.runLockForTests"), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "apply",
                "-p", project.directory().toString(), "--state-dir", state.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("plumb.log").toFile()).start();
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!Files.exists(started) && plumb.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(started).as(Files.readString(dir.resolve("plumb.log"))).exists();

        assertThat(new ProcessBuilder("kill", "-INT", Long.toString(plumb.pid())).start().waitFor()).isZero();

        assertThat(plumb.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)).as("plumb exits").isTrue();
        String log = Files.readString(dir.resolve("plumb.log"));
        assertThat(plumb.exitValue()).as(log).isEqualTo(4);
        assertThat(log).contains("! exec[long] failed: ").contains("killed: the run was interrupted")
                .contains("  file[" + after + "] skipped: run interrupted\n")
                .contains("local: 2 resources, 0 changed, 1 failed, 1 skipped");
        try (Stream<Path> reports = Files.list(state.resolve("reports"))) {
            assertThat(reports.toList()).hasSize(1);
        }
        assertThat(survivors(sleep)).isEmpty();
    }

    /** The processes running {@code executable}, after waiting up to {@link #LIMIT} for them to go. */
    private static List<ProcessHandle> survivors(Path executable) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        List<ProcessHandle> left = running(executable);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            left = running(executable);
        }
        left.forEach(ProcessHandle::destroyForcibly);
        return left;
    }

    private static List<ProcessHandle> running(Path executable) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(executable.toString()::equals).orElse(false)).toList();
    }
}

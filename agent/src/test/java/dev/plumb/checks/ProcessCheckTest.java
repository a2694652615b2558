package dev.plumb.checks;

import dev.plumb.api.Mismatch;
import dev.plumb.catalog.CheckResult;
import static dev.plumb.checks.CheckFixtures.check;
import static dev.plumb.checks.CheckFixtures.problems;
import static dev.plumb.checks.CheckFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process check against real processes, started the way daemons run: not as children of plumb. */
class ProcessCheckTest {

    @TempDir
    Path dir;

    private String name;
    private Path program;
    private final List<ProcessHandle> started = new ArrayList<>();

    @BeforeEach
    void copySleep() throws IOException {
        name = "plumbsleep" + ThreadLocalRandom.current().nextInt(10_000, 100_000);
        program = Files.copy(Path.of("/bin/sleep"), dir.resolve(name));
    }

    @AfterEach
    void stopThem() {
        started.forEach(ProcessHandle::destroyForcibly);
    }

    /** Starts the program in the background of a shell that exits at once, so that it is nobody's child here. */
    private ProcessHandle daemon(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", "\"$0\" \"$@\" >/dev/null 2>&1 & echo $!",
                program.toString()));
        argv.addAll(List.of(args));
        Process shell = new ProcessBuilder(argv).redirectErrorStream(true).start();
        long pid = Long.parseLong(new String(shell.getInputStream().readAllBytes()).strip());
        shell.waitFor();
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow();
        started.add(handle);
        // The shell returns right after it forks; the program is ours to check once it has replaced the fork.
        for (int i = 0; i < 2_000 && !handle.info().command().map(program.toString()::equals).orElse(false); i++) {
            Thread.onSpinWait();
            Thread.sleep(1);
        }
        return handle;
    }

    @Test
    void runningProcessesAreFoundByNameAndCounted() throws Exception {
        ProcessHandle first = daemon("600");
        assertThat(run(check("process", name)).passed()).isTrue();
        assertThat(run(check("process", name, "count", 1)).passed()).isTrue();

        daemon("600", "1");
        CheckResult counted = run(check("process", name, "count", 1));
        assertThat(counted.mismatches()).containsExactly(new Mismatch("count", "1 process named " + name, "2"));
        assertThat(counted.evidence()).contains(first.pid() + " " + program + " 600");
        assertThat(run(check("process", name, "cmdline_matches", " 600 1$", "count", 1)).passed()).isTrue();

        CheckResult unwanted = run(check("process", name, "running", false));
        assertThat(unwanted.mismatches()).containsExactly(new Mismatch("running", "no process named " + name, "2 running"));
    }

    @Test
    void aStoppedProcessIsNotRunning() throws Exception {
        daemon("600").destroyForcibly();
        // The process is gone once its new parent has reaped it: a check with retries waits for that.
        assertThat(run(check("process", name, "running", false, "retries", 100, "interval", "10ms")).passed()).isTrue();
        assertThat(run(check("process", name)).mismatches())
                .containsExactly(new Mismatch("running", "a process named " + name, "none"));
    }

    @Test
    void plumbsOwnChildrenAreNotCounted() throws Exception {
        Process child = new ProcessBuilder(program.toString(), "600").start();
        try {
            assertThat(run(check("process", name, "running", false)).passed()).isTrue();
        } finally {
            child.destroyForcibly().waitFor();
        }
    }

    @Test
    void namesCountsAndPatternsAreValidated() {
        assertThat(problems("process", "/usr/sbin/nginx", "count", -1, "cmdline_matches", "*")).containsExactly(
                "'/usr/sbin/nginx' is not a command name; expected a name such as nginx, without a directory",
                "count: -1 is not a number of processes; expected 0 or more",
                "cmdline_matches: '*' is not a valid regular expression: dangling meta character '*' at character 1 ('*')");
        assertThat(problems("process", "nginx", "running", false, "count", 2))
                .containsExactly("count: contradicts running: false; keep one of them");
    }
}

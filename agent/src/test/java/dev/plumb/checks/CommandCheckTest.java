package dev.plumb.checks;

import dev.plumb.RecordingRunner;
import dev.plumb.api.Mismatch;
import dev.plumb.catalog.CheckResult;
import static dev.plumb.checks.CheckFixtures.check;
import static dev.plumb.checks.CheckFixtures.problems;
import static dev.plumb.checks.CheckFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.catalog.CheckStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command check, through the command seam and with real processes. */
class CommandCheckTest {

    @Test
    void runsTheLineWithTheShellAndTheCheckTimeout() {
        RecordingRunner commands = new RecordingRunner().answer("systemctl is-active app", 0, "active\n", "");
        CheckResult result = CheckFixtures.run(CheckFixtures.context(commands),
                check("command", "systemctl is-active app", "stdout_contains", "active", "timeout", "3s"));
        assertThat(result.passed()).isTrue();
        assertThat(commands.argvs()).containsExactly(List.of("/bin/sh", "-c", "systemctl is-active app"));
        assertThat(commands.commands().get(0).timeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void exitCodeAndOutputAreCompared() {
        assertThat(run(check("command", "echo ready; exit 3", "exit_code", 3, "stdout_contains", "ready",
                "stdout_matches", "^rea.y$")).passed()).isTrue();
        assertThat(run(check("command", "echo 'warning: disk' >&2", "stderr_contains", "disk")).passed()).isTrue();
    }

    @Test
    void aFailureShowsExpectedGotAndTheFirstLinesOfStderrAndStdout() {
        CheckResult result = run(check("command", "echo starting; seq 1 9 >&2; exit 2", "stdout_contains", "ready",
                "stdout_matches", "^done$", "stderr_contains", "fatal"));
        assertThat(result.status()).isEqualTo(CheckStatus.FAILED);
        assertThat(result.mismatches()).containsExactly(
                new Mismatch("exit_code", "0", "2"),
                new Mismatch("stdout_contains", "'ready'", "an output without it"),
                new Mismatch("stdout_matches", "a match for '^done$'", "none in the output"),
                new Mismatch("stderr_contains", "'fatal'", "an error output without it"));
        assertThat(result.evidence()).isEqualTo("stderr:\n  1\n  2\n  3\n  4\n  5\n  (4 more lines)\nstdout:\n  starting");
    }

    @Test
    void aCommandPastItsTimeoutIsKilledAndFails() {
        long start = System.nanoTime();
        CheckResult result = run(check("command", "sleep 30", "timeout", "300ms"));
        // The command runner kills it and says so; on a loaded machine the runner's grace may run out first, and the
        // check is abandoned: either way it fails for its timeout.
        assertThat(result.error()).isIn("'sleep 30': timed out after 300 ms", "no answer within 300 ms (timeout)");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void exitCodesAndPatternsAreValidated() {
        assertThat(problems("command", "true", "exit_code", 256, "stdout_matches", "a{2,1}")).containsExactly(
                "exit_code: 256 is not an exit code; expected 0 to 255",
                "stdout_matches: 'a{2,1}' is not a valid regular expression: illegal repetition range at character 6 ('}')");
        assertThat(problems("command", " ")).containsExactly("the command is empty");
    }
}

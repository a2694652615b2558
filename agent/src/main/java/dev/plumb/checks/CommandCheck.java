package dev.plumb.checks;

import dev.plumb.api.Attribute;
import dev.plumb.api.Check;
import dev.plumb.api.CheckContext;
import dev.plumb.api.Command;
import dev.plumb.api.CommandResult;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.Verdict;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code command: CMD} — a shell command line and what it must exit with and print. It runs with
 * {@code /bin/sh -c}, no input, and is killed with everything it started when it runs past the timeout. A check
 * command must only look, never change the host: {@code plumb check} runs it too.
 */
public record CommandCheck(
        @Attribute(doc = "the shell command line") String command,
        @Attribute(doc = "the exit code expected; default 0", defaultValue = "0") Integer exitCode,
        @Attribute(doc = "text the output must contain") String stdoutContains,
        @Attribute(doc = "a regular expression the output must match somewhere") String stdoutMatches,
        @Attribute(doc = "text the error output must contain") String stderrContains) implements Check {

    @Override
    public List<Diagnostic> validate() {
        List<Diagnostic> problems = new ArrayList<>();
        if (command.isBlank()) {
            problems.add(Diagnostic.ofAttribute(null, "the command is empty"));
        }
        if (exitCode != null && (exitCode < 0 || exitCode > 255)) {
            problems.add(Diagnostic.ofAttribute("exit_code", exitCode + " is not an exit code; expected 0 to 255"));
        }
        Patterns.validate(problems, "stdout_matches", stdoutMatches);
        return problems;
    }

    @Override
    public Verdict verify(CheckContext context, Duration timeout) throws IOException {
        CommandResult result;
        try {
            result = context.commands().run(Command.shell(command, null, null, timeout));
        } catch (IOException e) {
            throw new IOException("'" + command + "': " + e.getMessage(), e);
        }
        Verdict verdict = new Verdict();
        int expected = exitCode == null ? 0 : exitCode;
        if (result.exitCode() != expected) {
            verdict.mismatch("exit_code", String.valueOf(expected), String.valueOf(result.exitCode()));
        }
        if (stdoutContains != null && !result.stdout().contains(stdoutContains)) {
            verdict.mismatch("stdout_contains", Evidence.quote(stdoutContains), "an output without it");
        }
        if (stdoutMatches != null && !Patterns.findsIn(stdoutMatches, result.stdout())) {
            verdict.mismatch("stdout_matches", "a match for " + Evidence.quote(stdoutMatches), "none in the output");
        }
        if (stderrContains != null && !result.stderr().contains(stderrContains)) {
            verdict.mismatch("stderr_contains", Evidence.quote(stderrContains), "an error output without it");
        }
        String evidence = String.join("\n", List.of(Evidence.labelled("stderr", result.stderr()),
                Evidence.labelled("stdout", result.stdout())).stream().filter(s -> !s.isEmpty()).toList());
        return verdict.evidence(evidence);
    }
}

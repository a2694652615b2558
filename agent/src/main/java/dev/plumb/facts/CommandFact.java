package dev.plumb.facts;

import dev.plumb.api.Command;
import dev.plumb.api.CommandResult;
import dev.plumb.api.CommandRunner;
import dev.plumb.system.WatchedText;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A fact a project defines as a command run on the host ({@code /bin/sh -c}, as the agent's user: root) and a
 * regular expression its output is searched for: {@code sshd_version} from {@code ssh -V} and
 * {@code OpenSSH_([0-9.]+)}. The fact is the first capture group, or the whole match when the pattern has none, or
 * the whole output without a pattern; the output is standard output followed by standard error.
 *
 * @param name    the fact's name, as templates see it under {@code facts}
 * @param command the shell command line
 * @param pattern a Java regular expression, or null for the whole output
 */
public record CommandFact(String name, String command, String pattern) {

    /** Long enough for a version query; a fact that needs longer holds up every run of the host. */
    public static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Far above a version line: more means the command is not the one meant. */
    public static final int OUTPUT_LIMIT = 64 * 1024;

    /** The command failed, printed too much, or its output did not match: the message says which, with the evidence. */
    static final class FailedException extends Exception {
        FailedException(String message) {
            super(message);
        }
    }

    /** The fact's value on this host, run through {@code runner}. */
    String valueOn(CommandRunner runner) throws FailedException {
        CommandResult result;
        try {
            result = runner.run(Command.shell(command, null, Map.of(), TIMEOUT));
        } catch (IOException e) {
            throw new FailedException("command '" + command + "' " + e.getMessage());
        }
        String output = result.stdout() + result.stderr();
        if (output.length() > OUTPUT_LIMIT) {
            throw new FailedException("command '" + command + "' printed more than " + (OUTPUT_LIMIT >> 10) + " KiB");
        }
        if (!result.succeeded()) {
            throw new FailedException("command '" + command + "' exited " + result.exitCode() + ": " + result.evidence());
        }
        if (pattern == null) {
            return output.strip();
        }
        Matcher match;
        try {
            long end = System.nanoTime() + MATCH_TIME.toNanos();
            match = Pattern.compile(pattern).matcher(new WatchedText(output, () -> {
                if (System.nanoTime() > end) {
                    throw new TimeUp();
                }
            }));
        } catch (PatternSyntaxException e) {
            throw new FailedException("pattern '" + pattern + "' is no regular expression: " + e.getDescription());
        }
        String value;
        try {
            value = match.find() ? match.group(match.groupCount() >= 1 ? 1 : 0) : null;
        } catch (TimeUp e) {
            throw new FailedException("pattern '" + pattern + "' took more than " + MATCH_TIME.toSeconds()
                    + " s to match the output of '" + command + "'; write one that does not backtrack so much");
        }
        if (value == null) {
            throw new FailedException("the output of '" + command + "' does not match '" + pattern + "': "
                    + (output.isBlank() ? "it printed nothing" : firstLine(output)));
        }
        return value;
    }

    /** How long a pattern may take to match a command's output (at most 64 KiB): a pattern that backtracks without end must not hang the host's agent. */
    private static final Duration MATCH_TIME = Duration.ofSeconds(2);

    /** Thrown by the watch of a match whose time is up. */
    private static final class TimeUp extends RuntimeException {
        TimeUp() {
            super(null, null, false, false);
        }
    }

    private static String firstLine(String output) {
        String line = output.strip().lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}

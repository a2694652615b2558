package dev.plumb.resources;

import dev.plumb.api.Command;
import dev.plumb.api.CommandResult;
import dev.plumb.api.CommandRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A file's {@code validate} command, as Ansible's {@code validate}: split into words as a shell would (quotes and
 * backslashes, no expansion), each {@code %s} replaced by the path of the new content, and run without a shell, so
 * that no path or character in it is ever interpreted. Needing a pipe or a variable, write
 * {@code sh -c '... "$1"' sh %s}.
 */
record Validation(String commandLine) {

    /** How long a validator may run, as long as any checker of a config file needs. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** The most of the validator's output a failure shows. */
    private static final int MAX_EVIDENCE = 4000;

    /** Thrown when the validator rejects the content: the new content does not go live. */
    static final class Rejected extends IOException {
        Rejected(String message) {
            super(message);
        }
    }

    /** What is wrong with the command line as written, or null when it can be run. */
    String problem() {
        if (!commandLine.contains("%s")) {
            return "needs %s where the new content's path goes, as \"sshd -t -f %s\"";
        }
        try {
            return words().isEmpty() ? "is empty; give a command such as \"sshd -t -f %s\"" : null;
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    /** Runs the validator on {@code candidate}; {@code showOutput} false when the content may hold a secret. */
    void check(CommandRunner commands, Path candidate, boolean showOutput) throws IOException {
        List<String> argv = new ArrayList<>();
        for (String word : words()) {
            argv.add(word.replace("%s", candidate.toString()));
        }
        CommandResult result = commands.run(new Command(argv, null, null, TIMEOUT));
        if (!result.succeeded()) {
            String evidence = result.evidence();
            if (evidence.length() > MAX_EVIDENCE) {
                evidence = "..." + evidence.substring(evidence.length() - MAX_EVIDENCE);
            }
            throw new Rejected("validate: '" + commandLine + "' rejected the new content (exit " + result.exitCode()
                    + "); the file was left as it was" + (!showOutput ? " (output not shown: the content is secret)"
                    : evidence.isEmpty() ? "" : ":\n" + evidence));
        }
    }

    /** The words of the command line, as POSIX sh splits them without expanding anything. */
    List<String> words() {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < commandLine.length(); i++) {
            char c = commandLine.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < commandLine.length() && "\"\\$`".indexOf(commandLine.charAt(i + 1)) >= 0) {
                    word.append(commandLine.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '\\' && i + 1 < commandLine.length()) {
                    word.append(commandLine.charAt(++i));
                } else {
                    word.append(c);
                }
            }
        }
        if (quote != 0) {
            throw new IllegalStateException("has a " + (quote == '\'' ? "single" : "double") + " quote that is not closed");
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}

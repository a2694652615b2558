package dev.plumb.checks;

import dev.plumb.api.Attribute;
import dev.plumb.api.Check;
import dev.plumb.api.CheckContext;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code process: NAME} — whether processes of a name run, and how many. A process has the name when its
 * command name (the kernel's, as {@code ps -o comm} and {@code pgrep -x} see it) or the file name of its first
 * argument is NAME; {@code cmdline_matches} narrows that down by the whole command line. plumb itself and the
 * commands it runs are never counted, nor processes that have exited and wait to be reaped.
 */
public record ProcessCheck(
        @Attribute(doc = "the command name") String process,
        @Attribute(doc = "whether such a process must run (default) or must not",
                defaultValue = "true")
        Boolean running,
        @Attribute(doc = "exactly how many must run") Integer count,
        @Attribute(doc = "a regular expression the command line (arguments joined by spaces) must match "
                + "somewhere")
        String cmdlineMatches) implements Check {

    /** The kernel keeps the first 15 bytes of a command name. */
    private static final int COMM_LENGTH = 15;

    @Override
    public List<Diagnostic> validate() {
        List<Diagnostic> problems = new ArrayList<>();
        if (process.isBlank() || process.contains("/")) {
            problems.add(Diagnostic.ofAttribute(null, "'" + process + "' is not a command name; expected a name such "
                    + "as nginx, without a directory"));
        }
        if (count != null && count < 0) {
            problems.add(Diagnostic.ofAttribute("count", count + " is not a number of processes; expected 0 or more"));
        }
        if (count != null && running != null && running != (count > 0)) {
            problems.add(Diagnostic.ofAttribute("count", "contradicts running: " + running + "; keep one of them"));
        }
        Patterns.validate(problems, "cmdline_matches", cmdlineMatches);
        return problems;
    }

    @Override
    public Verdict verify(CheckContext context, Duration timeout) {
        ProcessHandle self = ProcessHandle.current();
        Set<Long> ours = self.descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
        ours.add(self.pid());
        Pattern cmdline = cmdlineMatches == null ? null : Pattern.compile(cmdlineMatches, Pattern.MULTILINE);
        List<String> found = new ArrayList<>();
        ProcessHandle.allProcesses().filter(p -> !ours.contains(p.pid())).forEach(p -> {
            Path proc = Path.of("/proc", String.valueOf(p.pid()));
            String comm = read(proc.resolve("comm")).strip();
            String[] argv = read(proc.resolve("cmdline")).split("\0");
            String line = String.join(" ", argv).strip();
            if (hasName(comm, argv[0]) && (cmdline == null || cmdline.matcher(line).find()) && !exited(proc)) {
                found.add(p.pid() + " " + (line.isEmpty() ? "[" + comm + "]" : line));
            }
        });
        Verdict verdict = new Verdict();
        String named = "named " + process + (cmdline == null ? "" : " with a command line matching "
                + Evidence.quote(cmdlineMatches));
        if (count != null && found.size() != count) {
            verdict.mismatch("count", count + (count == 1 ? " process " : " processes ") + named, found.size() + "");
        } else if (count == null && (running == null || running) && found.isEmpty()) {
            verdict.mismatch("running", "a process " + named, "none");
        } else if (count == null && Boolean.FALSE.equals(running) && !found.isEmpty()) {
            verdict.mismatch("running", "no process " + named, found.size() + " running");
        }
        return verdict.evidence(found.isEmpty() ? null : Evidence.firstLines(String.join("\n", found)));
    }

    private boolean hasName(String comm, String argv0) {
        String program = argv0.split(" ", 2)[0];
        return comm.equals(process.length() > COMM_LENGTH ? process.substring(0, COMM_LENGTH) : process)
                || program.substring(program.lastIndexOf('/') + 1).equals(process);
    }

    /** Whether the process has ended and only waits to be reaped (a zombie), which {@code ps} shows as Z. */
    private static boolean exited(Path proc) {
        String stat = read(proc.resolve("stat"));
        int end = stat.lastIndexOf(')');
        return end < 0 || end + 2 >= stat.length() || "ZX".indexOf(stat.charAt(end + 2)) >= 0;
    }

    /** A file of /proc as text; empty when the process is gone or the file unreadable. */
    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}

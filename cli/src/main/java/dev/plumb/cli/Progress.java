package dev.plumb.cli;

import dev.plumb.api.Printable;
import dev.plumb.catalog.RunReport;
import dev.plumb.report.HostTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What a run of several hosts shows on standard error while it goes: on a terminal one live line (hosts done of
 * all, how many changed and failed, which are still running), redrawn as hosts start and end; elsewhere, as in a CI
 * log, one plain line per host that ends. A run of one host shows nothing: its report is its progress.
 */
final class Progress {

    private static final int RUNNING_SHOWN = 4;

    private final PrintWriter err;
    private final boolean live;
    private final String verb;
    private final int total;
    private final Set<String> running = new LinkedHashSet<>();
    private int done;
    private int changed;
    private int failed;

    Progress(PrintWriter err, boolean live, String verb, int total) {
        this.err = err;
        this.live = live;
        this.verb = verb;
        this.total = total;
    }

    /** Progress of {@code verb} ("facts", "apply") over {@code total} hosts; silent for one host. */
    static Progress of(PrintWriter err, String verb, int total) {
        return new Progress(total > 1 ? err : null, standardErrorIsATerminal(), verb, total);
    }

    synchronized void started(String host) {
        running.add(host);
        redraw();
    }

    /** {@code host} ended with {@code report}; {@code print} prints its report while the live line is cleared. */
    synchronized void finished(String host, RunReport report, Duration took, Runnable print) {
        running.remove(host);
        done++;
        changed += report.summary().changed() > 0 ? 1 : 0;
        failed += report.exitCode() >= 4 ? 1 : 0;
        clear();
        print.run();
        if (err != null && !live) {
            err.println(verb + " " + Printable.escape(host) + ": " + outcome(report) + " (" + HostTable.duration(took) + ")");
            err.flush();
        }
        redraw();
    }

    /** Clears the live line for good, before the run's last output. */
    synchronized void end() {
        clear();
    }

    private String outcome(RunReport report) {
        if (report.error() != null) {
            return "error: " + Printable.escape(report.error().lines().findFirst().orElse(""));
        }
        return report.summary().changed() + " changed, " + report.summary().failed() + " failed"
                + (report.checks() == null ? "" : ", checks " + report.checks().passed() + "/" + report.checks().checks());
    }

    private void redraw() {
        if (err == null || !live) {
            return;
        }
        StringBuilder line = new StringBuilder("\r\u001b[K" + verb + ": " + done + "/" + total + " done, " + changed
                + " changed, " + failed + " failed");
        if (!running.isEmpty()) {
            line.append("; running ").append(String.join(", ", running.stream().limit(RUNNING_SHOWN).map(Printable::escape).toList()));
            if (running.size() > RUNNING_SHOWN) {
                line.append(" and ").append(running.size() - RUNNING_SHOWN).append(" more");
            }
        }
        err.print(line);
        err.flush();
    }

    private void clear() {
        if (err != null && live) {
            err.print("\r\u001b[K");
            err.flush();
        }
    }

    /** Whether standard error is a terminal, where a line can be redrawn in place. */
    private static boolean standardErrorIsATerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException notLinux) {
            return false;
        }
    }
}

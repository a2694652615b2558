package dev.plumb.report;

import dev.plumb.catalog.CheckResult;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.RunReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders runs as a Nagios (or Icinga) plugin does: one status line with performance data, then one line per
 * problem, and the plugin's exit code: 0 OK, 1 WARNING (drift only), 2 CRITICAL (failing checks or resources), 3
 * UNKNOWN (a host that could not be run). So {@code plumb check --format nagios} works as a plugin.
 */
public final class NagiosRenderer {

    /** Exit codes of a Nagios plugin. */
    public static final int OK = 0;
    public static final int WARNING = 1;
    public static final int CRITICAL = 2;
    public static final int UNKNOWN = 3;

    private static final String[] STATES = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};
    private static final int NAMED_FAILURES = 3;

    /** The plugin's output and its exit code. */
    public record Result(int exitCode, String output) {
    }

    public Result render(List<RunReport> reports) {
        int checks = 0;
        int drift = 0;
        int failedResources = 0;
        long millis = 0;
        List<String> failedChecks = new ArrayList<>();
        List<String> unreachable = new ArrayList<>();
        List<String> details = new ArrayList<>();
        for (RunReport report : reports) {
            String prefix = reports.size() > 1 ? report.host() + ": " : "";
            if (report.error() != null) {
                unreachable.add(report.host());
                details.add(report.host() + ": " + report.error());
                continue;
            }
            drift += report.mode() == Mode.CHECK ? report.summary().changed() : 0;
            failedResources += report.summary().failed() + report.summary().skipped();
            millis += report.engineMillis();
            Findings.resourceProblems(report).forEach(line -> details.add(prefix + line));
            if (report.checks() != null) {
                checks += report.checks().checks();
                millis += report.checks().millis();
                for (CheckResult check : report.checks().results()) {
                    if (!check.passed()) {
                        failedChecks.add(prefix + check.id());
                        details.add(prefix + check.title() + ": " + check.reason().replace('\n', ' '));
                    }
                }
            }
        }
        int state = !failedChecks.isEmpty() || failedResources > 0 ? CRITICAL
                : !unreachable.isEmpty() ? UNKNOWN : drift > 0 ? WARNING : OK;
        List<String> parts = new ArrayList<>();
        if (failedChecks.isEmpty()) {
            parts.add(checks + (checks == 1 ? " check passed" : " checks passed"));
        } else {
            parts.add(failedChecks.size() + " of " + checks + " checks failed (" + String.join(", ",
                    failedChecks.subList(0, Math.min(NAMED_FAILURES, failedChecks.size())))
                    + (failedChecks.size() > NAMED_FAILURES ? ", ..." : "") + ")");
        }
        parts.add(drift == 0 ? "no drift" : drift + (drift == 1 ? " resource drifted" : " resources drifted"));
        if (failedResources > 0) {
            parts.add(failedResources + (failedResources == 1 ? " resource failed" : " resources failed"));
        }
        if (!unreachable.isEmpty()) {
            parts.add("not reachable: " + String.join(", ", unreachable));
        }
        String line = "PLUMB " + STATES[state] + " - " + String.join(", ", parts).replace('|', '/')
                + " | checks=" + checks + " failed=" + failedChecks.size() + " drift=" + drift
                + " time=" + String.format(Locale.ROOT, "%.3fs", millis / 1000.0);
        List<String> output = new ArrayList<>();
        output.add(line);
        details.forEach(detail -> output.add(detail.replace('|', '/')));
        return new Result(state, String.join("\n", output) + "\n");
    }

    /**
     * The plugin's answer when the project cannot be compiled or the command is wrong: UNKNOWN, and why. Only
     * {@link ReportOutput#refuse} decides to give it.
     */
    static Result unknown(String reason) {
        return new Result(UNKNOWN, "PLUMB UNKNOWN - " + reason.replace('|', '/').replace('\n', ' ') + "\n");
    }
}

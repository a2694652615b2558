package dev.plumb.report;

import dev.plumb.api.Printable;
import dev.plumb.catalog.CatalogResource;
import dev.plumb.catalog.RunReport;
import dev.plumb.catalog.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The last thing a run of several hosts prints: one line per host with its result, how many resources changed and
 * failed, its checks, how long it took and, for a host that did not end well, the first reason in one line.
 *
 * <pre>
 * host  result   changed  failed  checks  time   error
 * web1  changed  3        0       2/2     1.4 s
 * web2  error    0        0       -       0.1 s  not reachable: connection refused (10.0.0.2:22)
 * </pre>
 */
public final class HostTable {

    private static final List<String> HEADINGS = List.of("host", "result", "changed", "failed", "checks", "time", "error");

    /** One host's report and how long the host took, whole. */
    record Row(RunReport report, Duration took) {
    }

    private HostTable() {
    }

    static String render(List<Row> rows) {
        List<List<String>> lines = new ArrayList<>();
        lines.add(HEADINGS);
        for (Row row : rows) {
            RunReport report = row.report();
            lines.add(List.of(Printable.escape(report.host()), result(report), String.valueOf(report.summary().changed()),
                    String.valueOf(report.summary().failed()), checks(report), duration(row.took()),
                    firstProblem(report).map(Printable::escape).orElse("")));
        }
        int[] widths = new int[HEADINGS.size()];
        for (List<String> line : lines) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> line : lines) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                text.append(i == widths.length - 1 ? line.get(i) : String.format("%-" + (widths[i] + 2) + "s", line.get(i)));
            }
            out.append(text.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /** error (the host did not run), failed, then what its changes mean in its mode, else ok. */
    private static String result(RunReport report) {
        if (report.error() != null) {
            return "error";
        }
        if (report.exitCode() >= 4) {
            return "failed";
        }
        if (report.summary().changed() > 0) {
            return switch (report.mode()) {
                case PLAN -> "would change";
                case APPLY -> "changed";
                case CHECK -> "drifted";
            };
        }
        return "ok";
    }

    private static String checks(RunReport report) {
        return report.checks() == null ? "-" : report.checks().passed() + "/" + report.checks().checks();
    }

    /** {@code 1.4 s}, {@code 12 s}, {@code 2 min 5 s}. */
    public static String duration(Duration took) {
        long millis = took.toMillis();
        if (millis < 10_000) {
            return String.format("%.1f s", millis / 1000.0);
        }
        return millis < 120_000 ? millis / 1000 + " s" : millis / 60_000 + " min " + millis / 1000 % 60 + " s";
    }

    /** The host's error, else its first failed resource, else its first failing check; the first line of it. */
    private static Optional<String> firstProblem(RunReport report) {
        Optional<String> problem = Optional.ofNullable(report.error());
        if (problem.isEmpty()) {
            problem = report.resources().stream().filter(result -> result.status() == Status.FAILED).findFirst()
                    .map(result -> CatalogResource.display(result.id()) + ": " + result.error());
        }
        if (problem.isEmpty() && report.checks() != null) {
            problem = report.checks().results().stream().filter(check -> !check.passed()).findFirst()
                    .map(check -> check.title() + ": " + check.reason());
        }
        return problem.map(text -> text.lines().findFirst().orElse(""));
    }
}

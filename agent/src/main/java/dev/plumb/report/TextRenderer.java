package dev.plumb.report;

import dev.plumb.api.Action;
import dev.plumb.api.Mismatch;
import dev.plumb.catalog.CatalogResource;
import dev.plumb.catalog.CheckReport;
import dev.plumb.catalog.CheckResult;
import dev.plumb.catalog.ResourceResult;
import dev.plumb.catalog.RunReport;
import dev.plumb.api.Printable;
import java.util.Arrays;

/**
 * Renders a run for people: one {@code + ~ -} line per resource that changes, its details and diff indented
 * under it, failures with their reason, and a summary line per host; then, when checks ran, one line per check
 * (a failing one with what was expected, what was found and its evidence) and their summary line. Every text that
 * comes from the catalog, the host or a command is {@link Printable#escape escaped}; multi-line texts (errors,
 * diffs, evidence) line by line, each continuation indented.
 */
public final class TextRenderer {

    private static final String RESET = "\u001b[0m";
    private static final String RED = "\u001b[31m";
    private static final String GREEN = "\u001b[32m";
    private static final String YELLOW = "\u001b[33m";
    private static final String CYAN = "\u001b[36m";
    private static final String DIM = "\u001b[2m";

    private final boolean color;

    public TextRenderer(boolean color) {
        this.color = color;
    }

    public String render(RunReport report) {
        StringBuilder out = new StringBuilder();
        for (ResourceResult result : report.resources()) {
            switch (result.status()) {
                case IN_SYNC -> { }
                case CHANGED, WOULD_CHANGE -> appendChange(out, result);
                case FAILED -> out.append(paint(RED, "! " + display(result.id()) + " failed: "))
                        .append(indentContinuation(result.error())).append('\n');
                case SKIPPED -> out.append(paint(DIM, "  " + display(result.id()) + " skipped: "
                        + Printable.escape(result.error()))).append('\n');
            }
        }
        out.append(summary(report)).append('\n');
        if (report.checks() != null) {
            appendChecks(out, report.host(), report.checks());
        }
        return out.toString();
    }

    /**
     * A line per check, then {@code local: 12 checks, 11 passed, 1 failed (230 ms)}: passing checks in one line,
     * failing ones with each expectation that did not hold and the evidence, marked {@code |}.
     */
    private void appendChecks(StringBuilder out, String host, CheckReport checks) {
        for (CheckResult check : checks.results()) {
            String attempts = check.attempts() > 1 ? " after " + check.attempts() + " attempts" : "";
            String title = Printable.escape(check.title());
            if (check.passed()) {
                out.append(paint(GREEN, "ok " + title + attempts)).append('\n');
                continue;
            }
            out.append(paint(RED, "! " + title + " check failed" + attempts
                    + (check.error() != null ? ": " : ""))).append(indentContinuation(check.error())).append('\n');
            for (Mismatch mismatch : check.mismatches()) {
                out.append("    ").append(Printable.escape(mismatch.toString())).append('\n');
            }
            if (check.evidence() != null) {
                for (String line : check.evidence().split("\n")) {
                    out.append(paint(DIM, "    | " + Printable.escape(line))).append('\n');
                }
            }
        }
        String line = Printable.escape(host) + ": " + checks.checks() + (checks.checks() == 1 ? " check, " : " checks, ") + checks.passed()
                + " passed, " + checks.failed() + " failed (" + checks.millis() + " ms)";
        out.append(checks.failed() > 0 ? paint(RED, line) : line).append('\n');
    }

    /** The closing line, as {@code local: 214 resources, 3 changed, 0 failed (41 ms)}. */
    public String summary(RunReport report) {
        if (report.error() != null) {
            return paint(RED, Printable.escape(report.host() + ": " + report.error()));
        }
        RunReport.Summary summary = report.summary();
        String changed = switch (report.mode()) {
            case APPLY -> " changed";
            case PLAN -> " to change";
            case CHECK -> " drifted";
        };
        String line = Printable.escape(report.host()) + ": " + summary.resources() + " resources, " + summary.changed() + changed + ", "
                + summary.failed() + " failed" + (summary.skipped() > 0 ? ", " + summary.skipped() + " skipped" : "")
                + " (" + report.engineMillis() + " ms)";
        return summary.failed() + summary.skipped() > 0 ? paint(RED, line) : line;
    }

    private void appendChange(StringBuilder out, ResourceResult result) {
        String colour = switch (result.action()) {
            case CREATE -> GREEN;
            case REMOVE -> RED;
            case CHANGE, NONE -> YELLOW;
        };
        Action action = result.action() == Action.NONE ? Action.CHANGE : result.action();
        out.append(paint(colour, action.symbol() + " " + display(result.id()))).append('\n');
        for (String detail : result.details()) {
            out.append("    ").append(Printable.escape(detail)).append('\n');
        }
        if (result.diff() != null) {
            for (String line : result.diff().split("\n")) {
                out.append("    ").append(paintDiffLine(Printable.escape(line))).append('\n');
            }
        }
    }

    private String paintDiffLine(String line) {
        if (line.startsWith("+++") || line.startsWith("---")) {
            return paint(DIM, line);
        }
        if (line.startsWith("@@")) {
            return paint(CYAN, line);
        }
        if (line.startsWith("+")) {
            return paint(GREEN, line);
        }
        return line.startsWith("-") ? paint(RED, line) : line;
    }

    private static String display(String id) {
        return Printable.escape(CatalogResource.display(id));
    }

    /** A multi-line text, each line escaped and each after the first indented under the line that starts it. */
    private static String indentContinuation(String text) {
        return text == null ? "" : String.join("\n    ", Arrays.stream(text.split("\n")).map(Printable::escape).toList());
    }

    private String paint(String colour, String text) {
        return color ? colour + text + RESET : text;
    }
}

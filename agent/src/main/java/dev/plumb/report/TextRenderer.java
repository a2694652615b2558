package dev.plumb.report;

import dev.plumb.catalog.CatalogResource;
import dev.plumb.engine.Action;
import dev.plumb.engine.ResourceResult;
import dev.plumb.engine.RunReport;

/**
 * Renders a run for people: one {@code + ~ -} line per resource that changes, its details and diff indented
 * under it, failures with their reason, and a closing summary line per host.
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
                case FAILED -> out.append(paint(RED, "! " + CatalogResource.display(result.id()) + " failed: "))
                        .append(indentContinuation(result.error())).append('\n');
                case SKIPPED -> out.append(paint(DIM, "  " + CatalogResource.display(result.id()) + " skipped: "
                        + result.error())).append('\n');
            }
        }
        return out.append(summary(report)).append('\n').toString();
    }

    /** The closing line, as {@code local: 214 resources, 3 changed, 0 failed (41 ms)}. */
    public String summary(RunReport report) {
        if (report.error() != null) {
            return paint(RED, report.host() + ": " + report.error());
        }
        RunReport.Summary summary = report.summary();
        String changed = switch (report.mode()) {
            case APPLY -> " changed";
            case PLAN -> " to change";
            case CHECK -> " drifted";
        };
        String line = report.host() + ": " + summary.resources() + " resources, " + summary.changed() + changed + ", "
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
        out.append(paint(colour, action.symbol() + " " + CatalogResource.display(result.id()))).append('\n');
        for (String detail : result.details()) {
            out.append("    ").append(detail).append('\n');
        }
        if (result.diff() != null) {
            for (String line : result.diff().split("\n")) {
                out.append("    ").append(paintDiffLine(line)).append('\n');
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

    private static String indentContinuation(String text) {
        return text == null ? "" : text.replace("\n", "\n    ");
    }

    private String paint(String colour, String text) {
        return color ? colour + text + RESET : text;
    }
}

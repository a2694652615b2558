package dev.plumb.report;

import dev.plumb.catalog.CheckResult;
import dev.plumb.catalog.RunReport;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders runs in the Test Anything Protocol (version 13): the plan {@code 1..N}, then {@code ok} or
 * {@code not ok} per test (each host's resources, then each check), a failing test followed by a YAML block with
 * what was expected, what was found and the evidence. With several hosts each test names its host.
 */
public final class TapRenderer {

    public String render(List<RunReport> reports) {
        List<String> lines = new ArrayList<>();
        int number = 0;
        for (RunReport report : reports) {
            String prefix = reports.size() > 1 ? report.host() + ": " : "";
            List<String> problems = Findings.resourceProblems(report);
            number++;
            if (report.error() != null) {
                lines.add("not ok " + number + " - " + prefix + Findings.resourcesTestName(report));
                lines.addAll(diagnostics(report.error(), null));
            } else if (!problems.isEmpty()) {
                lines.add("not ok " + number + " - " + prefix + Findings.resourcesTestName(report));
                lines.addAll(diagnostics(Findings.resourceSummary(report), String.join("\n", problems)));
            } else {
                lines.add("ok " + number + " - " + prefix + Findings.resourcesTestName(report));
            }
            if (report.checks() == null) {
                continue;
            }
            for (CheckResult check : report.checks().results()) {
                number++;
                lines.add((check.passed() ? "ok " : "not ok ") + number + " - " + prefix + description(check.title()));
                if (!check.passed()) {
                    lines.addAll(diagnostics(check.reason(), Findings.details(check)));
                }
            }
        }
        return "TAP version 13\n1.." + number + "\n" + String.join("\n", lines) + "\n";
    }

    /**
     * A test's description stays on its line and may not hold an unescaped {@code #}, which would start a
     * directive.
     */
    private static String description(String text) {
        return text.replace("#", "\\#").replace("\r", "\\r").replace("\n", "\\n");
    }

    /**
     * The YAML block under a failing test: its message and, when there is more, the details. Both are
     * double-quoted scalars with escapes: the YAMLish that TAP consumers read (Perl's TAP::Harness) has no
     * {@code |-} and ends a literal block at its first blank line, so only a quoted string keeps any text whole.
     */
    private static List<String> diagnostics(String message, String details) {
        List<String> lines = new ArrayList<>();
        lines.add("  ---");
        lines.add("  message: " + quoted(message));
        lines.add("  severity: fail");
        if (details != null && !details.isBlank()) {
            lines.add("  details: " + quoted(details));
        }
        lines.add("  ...");
        return lines;
    }

    /** A YAML double-quoted scalar: backslash and quote escaped, control characters as {@code \n} or {@code \xHH}. */
    static String quoted(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }
}

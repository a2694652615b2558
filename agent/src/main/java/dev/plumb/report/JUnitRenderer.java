package dev.plumb.report;

import dev.plumb.catalog.CheckReport;
import dev.plumb.catalog.CheckResult;
import dev.plumb.catalog.RunReport;
import java.util.List;
import java.util.Locale;

/**
 * Renders runs as JUnit XML, the test report format CI systems read (Jenkins, GitLab, GitHub Actions): a test
 * suite per host, holding a test for its resources and one per check. A failing check is a failure with what
 * was expected, what was found and the evidence; a host that could not be run is an error.
 */
public final class JUnitRenderer {

    public String render(List<RunReport> reports) {
        int tests = 0;
        int failures = 0;
        int errors = 0;
        long millis = 0;
        StringBuilder suites = new StringBuilder();
        for (RunReport report : reports) {
            CheckReport checks = report.checks();
            List<CheckResult> results = checks == null ? List.of() : checks.results();
            boolean unreachable = report.error() != null;
            int suiteFailures = (int) results.stream().filter(r -> !r.passed()).count()
                    + (!unreachable && !Findings.resourceProblems(report).isEmpty() ? 1 : 0);
            long suiteMillis = report.engineMillis() + (checks == null ? 0 : checks.millis());
            tests += results.size() + 1;
            failures += suiteFailures;
            errors += unreachable ? 1 : 0;
            millis += suiteMillis;
            suites.append("  <testsuite name=\"").append(xml(report.host())).append("\" tests=\"").append(results.size() + 1)
                    .append("\" failures=\"").append(suiteFailures).append("\" errors=\"").append(unreachable ? 1 : 0)
                    .append("\" skipped=\"0\" time=\"").append(seconds(suiteMillis)).append("\" timestamp=\"")
                    .append(xml(timestamp(report.startedAt()))).append("\">\n");
            appendResources(suites, report);
            for (CheckResult check : results) {
                suites.append("    <testcase classname=\"").append(xml(report.host())).append("\" name=\"")
                        .append(xml(check.title())).append("\" time=\"").append(seconds(check.millis())).append('"');
                if (check.passed()) {
                    suites.append("/>\n");
                } else {
                    suites.append(">\n      <failure type=\"check\" message=\"").append(xml(oneLine(check.reason()))).append("\">")
                            .append(xml(Findings.details(check))).append("</failure>\n    </testcase>\n");
                }
            }
            suites.append("  </testsuite>\n");
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"plumb\" tests=\"" + tests + "\" failures=\""
                + failures + "\" errors=\"" + errors + "\" time=\"" + seconds(millis) + "\">\n" + suites + "</testsuites>\n";
    }

    private static void appendResources(StringBuilder out, RunReport report) {
        out.append("    <testcase classname=\"").append(xml(report.host())).append("\" name=\"")
                .append(xml(Findings.resourcesTestName(report))).append("\" time=\"").append(seconds(report.engineMillis()))
                .append('"');
        List<String> problems = Findings.resourceProblems(report);
        if (report.error() != null) {
            out.append(">\n      <error type=\"unreachable\" message=\"").append(xml(oneLine(report.error()))).append("\"/>\n    </testcase>\n");
        } else if (problems.isEmpty()) {
            out.append("/>\n");
        } else {
            out.append(">\n      <failure type=\"resources\" message=\"").append(xml(Findings.resourceSummary(report)))
                    .append("\">").append(xml(String.join("\n", problems))).append("</failure>\n    </testcase>\n");
        }
    }

    /** JUnit's timestamp has no zone and no fraction: {@code 2026-11-22T04:35:00}, in UTC. */
    private static String timestamp(String instant) {
        return instant == null ? "" : instant.replaceFirst("(\\.\\d+)?Z$", "");
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }

    private static String oneLine(String text) {
        return text.replace('\n', ' ');
    }

    /** Text as XML content or attribute value: escaped, and without the characters XML 1.0 cannot hold. */
    static String xml(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                case '\n', '\t' -> out.append(c);
                default -> out.append(c < 0x20 || c == 0xFFFE || c == 0xFFFF ? '?' : c);
            }
        }
        return out.toString();
    }
}

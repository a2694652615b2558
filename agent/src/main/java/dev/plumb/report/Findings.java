package dev.plumb.report;

import dev.plumb.catalog.CatalogResource;
import dev.plumb.catalog.CheckResult;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.ResourceResult;
import dev.plumb.catalog.RunReport;
import java.util.ArrayList;
import java.util.List;

/**
 * What the machine-readable formats (JUnit, TAP, Nagios) say about a host's resources, as one test: in a check,
 * "resources in sync" fails on drift or failures; after an apply, "resources converged" fails on failures only.
 */
final class Findings {

    private Findings() {
    }

    /** The name of the one test that stands for a host's resources. */
    static String resourcesTestName(RunReport report) {
        return report.mode() == Mode.CHECK ? "resources in sync" : "resources converged";
    }

    /** One line per resource that makes that test fail, as {@code ~ file[/x]: content changed}; empty when it passes. */
    static List<String> resourceProblems(RunReport report) {
        List<String> lines = new ArrayList<>();
        for (ResourceResult result : report.resources()) {
            String name = CatalogResource.display(result.id());
            switch (result.status()) {
                case WOULD_CHANGE -> lines.add(result.action().symbol() + " " + name + ": " + String.join("; ", result.details()));
                case FAILED -> lines.add("! " + name + " failed: " + result.error());
                case SKIPPED -> lines.add(name + " skipped: " + result.error());
                case IN_SYNC, CHANGED -> { }
            }
        }
        return lines;
    }

    /** The summary of the resource problems, as {@code 2 resources drifted, 1 failed}. */
    static String resourceSummary(RunReport report) {
        RunReport.Summary summary = report.summary();
        List<String> parts = new ArrayList<>();
        if (report.mode() == Mode.CHECK && summary.changed() > 0) {
            parts.add(summary.changed() + (summary.changed() == 1 ? " resource drifted" : " resources drifted"));
        }
        if (summary.failed() > 0) {
            parts.add(summary.failed() + " failed");
        }
        if (summary.skipped() > 0) {
            parts.add(summary.skipped() + " skipped");
        }
        return String.join(", ", parts);
    }

    /** A failing check in full: each expectation that did not hold or the error, then the evidence. */
    static String details(CheckResult check) {
        List<String> lines = new ArrayList<>();
        if (check.error() != null) {
            lines.add(check.error());
        }
        check.mismatches().forEach(m -> lines.add(m.toString()));
        if (check.attempts() > 1) {
            lines.add("after " + check.attempts() + " attempts");
        }
        if (check.evidence() != null) {
            lines.add(check.evidence());
        }
        return String.join("\n", lines);
    }
}

package dev.plumb.server.store;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.RunReport;
import java.util.Locale;

/** How a host stands, as the API names it ({@code in_sync}, ...), from its latest run and when that arrived. */
public enum HostState {
    IN_SYNC,
    /** The latest apply changed resources for a new commit. */
    CHANGED,
    /** The latest check or plan found changes, or an apply changed resources with the commit of the run before. */
    DRIFTED,
    FAILING_CHECKS,
    /** Resources failed or were skipped, or the host could not be run at all. */
    FAILED,
    /** No report within two agent intervals. */
    UNREACHABLE,
    NEVER_REPORTED;

    @JsonValue
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static HostState fromApiName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /**
     * How {@code report} leaves its host as far as the report tells: {@code CHANGED} for an apply that changed
     * resources, which was drift if the host's run before it had the same commit (the store decides that when read).
     */
    static HostState of(RunReport report) {
        RunReport.Summary summary = report.summary();
        if (report.error() != null || summary.failed() > 0 || summary.skipped() > 0) {
            return FAILED;
        }
        if (report.failedChecks() > 0) {
            return FAILING_CHECKS;
        }
        if (summary.changed() == 0) {
            return IN_SYNC;
        }
        return report.mode() == Mode.APPLY ? CHANGED : DRIFTED;
    }
}

package dev.plumb.server.store;

import dev.plumb.api.Change;
import dev.plumb.api.FailureKind;
import dev.plumb.catalog.CheckReport;
import dev.plumb.catalog.CheckResult;
import dev.plumb.catalog.CheckStatus;
import dev.plumb.catalog.Json;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.ProjectSource;
import dev.plumb.catalog.ResourceResult;
import dev.plumb.catalog.RunReport;
import dev.plumb.catalog.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Run reports as agents send them, for the store's tests and its benchmark. */
public final class Reports {

    private Reports() {
    }

    /** A report of {@code host} with a new run id; {@code commit} may be null (not a git checkout). */
    public static RunReport report(String host, Mode mode, String commit, Instant startedAt, List<ResourceResult> resources) {
        return new RunReport(RunReport.newRunId(), host, mode, "0".repeat(64),
                commit == null ? null : new ProjectSource(commit, false), startedAt.toString(), 42,
                RunReport.Summary.of(resources), resources, null);
    }

    /** {@code count} resources {@code file[/srv/fileN]}: the first {@code changed} changed, the next {@code failed} failed. */
    public static List<ResourceResult> resources(int count, int changed, int failed) {
        List<ResourceResult> resources = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = "file[/srv/file" + i + "]";
            resources.add(i < changed ? changed(id, Status.CHANGED) : i < changed + failed ? failed(id) : inSync(id));
        }
        return resources;
    }

    public static ResourceResult inSync(String id) {
        return ResourceResult.of(id, Status.IN_SYNC, new Change(), 120);
    }

    /** {@code id} with its mode changed from 0644 to 0600 ({@code CHANGED} by an apply, {@code WOULD_CHANGE} by a check). */
    public static ResourceResult changed(String id, Status status) {
        return ResourceResult.of(id, status, new Change().changed("mode", "0644", "0600"), 900);
    }

    public static ResourceResult failed(String id) {
        return ResourceResult.failed(id, FailureKind.IO, "cannot write " + id + ": disk full", 300);
    }

    /** {@code report} with one passed and one failed check. */
    public static RunReport withFailedCheck(RunReport report) {
        return report.withChecks(CheckReport.of(List.of(
                new CheckResult("http[http://localhost/health]", "health page", CheckStatus.FAILED, List.of(),
                        "connection refused", null, 3, 1500),
                new CheckResult("port[22]", null, CheckStatus.PASSED, List.of(), null, null, 1, 2)), 1502));
    }

    /** The report's JSON as an agent posts it. */
    public static byte[] json(RunReport report) {
        return Json.MAPPER.writeValueAsBytes(report);
    }
}

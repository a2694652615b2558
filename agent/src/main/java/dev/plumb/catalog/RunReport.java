package dev.plumb.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.UUID;

/**
 * The record of one run on one host, as {@code docs/protocol.md} describes it: what was asked, of which catalog
 * and project commit, how long the engine took, and how every resource came out; then, when they ran, how the
 * checks came out. {@code error} is set when the host could not be run at all.
 */
public record RunReport(int schemaVersion, String runId, String host, Mode mode, String catalogSha256,
                        ProjectSource source, String startedAt, long engineMillis, Summary summary,
                        List<ResourceResult> resources, String error,
                        @JsonInclude(JsonInclude.Include.NON_NULL) CheckReport checks) {

    /** The version of this report format; version 1 was the format before it carried one. */
    public static final int SCHEMA_VERSION = 2;

    public RunReport {
        resources = List.copyOf(resources);
    }

    /** A report of resources alone, in this version of the format: no checks ran. */
    public RunReport(String runId, String host, Mode mode, String catalogSha256, ProjectSource source, String startedAt,
                     long engineMillis, Summary summary, List<ResourceResult> resources, String error) {
        this(SCHEMA_VERSION, runId, host, mode, catalogSha256, source, startedAt, engineMillis, summary, resources,
                error, null);
    }

    /**
     * A new run id: a UUID of version 7 (RFC 9562), whose first 48 bits are the Unix time in milliseconds and the
     * rest random. Ids made in a later millisecond sort later (unless the clock was set back), so a store's indexes on
     * them grow at one end rather than at random places: with random UUIDs, plumb server's embedded store ingested
     * about a sixth fewer reports per second (bench/server).
     */
    public static String newRunId() {
        UUID random = UUID.randomUUID();
        long time = System.currentTimeMillis() << 16;
        long version = 0x7000L;
        return new UUID(time | version | (random.getMostSignificantBits() & 0x0fffL), random.getLeastSignificantBits())
                .toString();
    }

    /** This report with how the host's checks came out. */
    public RunReport withChecks(CheckReport checks) {
        return new RunReport(schemaVersion, runId, host, mode, catalogSha256, source, startedAt, engineMillis, summary,
                resources, error, checks);
    }

    /** How many checks failed; none when no checks ran. */
    public int failedChecks() {
        return checks == null ? 0 : checks.failed();
    }

    /** The counts a run ends with; {@code changed} counts pending changes in a plan and drift in a check. */
    public record Summary(int resources, int changed, int failed, int skipped) {

        public static Summary of(List<ResourceResult> results) {
            int changed = 0;
            int failed = 0;
            int skipped = 0;
            for (ResourceResult result : results) {
                switch (result.status()) {
                    case CHANGED, WOULD_CHANGE -> changed++;
                    case FAILED -> failed++;
                    case SKIPPED -> skipped++;
                    case IN_SYNC -> { }
                }
            }
            return new Summary(results.size(), changed, failed, skipped);
        }
    }

    /** A report for a host that could not be run at all. */
    public static RunReport unreachable(String runId, String host, Mode mode, String startedAt, String error) {
        return new RunReport(runId, host, mode, null, null, startedAt, 0, new Summary(0, 0, 1, 0), List.of(), error);
    }

    /** The documented exit code: 0 nothing to do, 2 changes (or drift), 4 failures (resources or checks), 6 both. */
    public int exitCode() {
        return (summary.changed() > 0 ? 2 : 0) + (summary.failed() + summary.skipped() + failedChecks() > 0 ? 4 : 0);
    }
}

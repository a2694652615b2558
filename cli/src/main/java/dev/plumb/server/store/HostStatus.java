package dev.plumb.server.store;

import java.time.Instant;

/**
 * One host in the fleet list: its state, the commit its latest apply ran (the commit on the host), when its latest
 * report arrived and which run that was, and that run's counts. Fields are null for a host that never reported.
 */
public record HostStatus(String host, HostState status, String commit, Instant lastReportAt, String lastRunId,
                         RunCounts summary) {
}

package dev.plumb.server.store;

import dev.plumb.catalog.Mode;
import java.time.Instant;

/** One stored run, without its report: what ran, of which commit, when, how it came out. */
public record RunSummary(String runId, String host, Mode mode, String commit, boolean dirty, Instant startedAt,
                         Instant receivedAt, long engineMillis, HostState status, RunCounts summary, String error) {
}

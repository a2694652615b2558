package dev.plumb.server.store;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;

/**
 * One host in full: its status as in the fleet list, whether it holds a credential, the commit of the catalog last
 * served to it, and the facts it last sent (the JSON as it sent it, or null).
 */
public record HostDetail(String host, HostState status, String commit, Instant lastReportAt, String lastRunId,
                         RunCounts summary, boolean enrolled, String catalogCommit, Instant catalogServedAt,
                         Instant factsAt, @JsonRawValue String facts) {
}

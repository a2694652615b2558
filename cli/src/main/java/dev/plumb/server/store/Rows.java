package dev.plumb.server.store;

import dev.plumb.api.Action;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.Status;
import dev.plumb.system.Gzip;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** The store's rows as its records. */
final class Rows {

    private Rows() {
    }

    static HostStatus hostStatus(ResultSet rs, Freshness freshness) throws SQLException {
        Instant lastReportAt = instant(rs, "received_at");
        String runStatus = rs.getString("status");
        return new HostStatus(rs.getString("name"), freshness.judge(runStatus, lastReportAt),
                rs.getString("applied_commit"), lastReportAt, rs.getString("run_id"),
                runStatus == null ? null : counts(rs));
    }

    static HostDetail hostDetail(ResultSet rs, Freshness freshness) throws SQLException {
        HostStatus status = hostStatus(rs, freshness);
        byte[] facts = rs.getBytes("facts_gz");
        return new HostDetail(status.host(), status.status(), status.commit(), status.lastReportAt(),
                status.lastRunId(), status.summary(), rs.getString("credential_sha256") != null,
                rs.getString("catalog_commit"), instant(rs, "catalog_served_at"), instant(rs, "facts_at"),
                facts == null ? null : new String(Gzip.decompress(facts), StandardCharsets.UTF_8));
    }

    static RunSummary runSummary(ResultSet rs) throws SQLException {
        return new RunSummary(rs.getString("run_id"), rs.getString("host"), Mode.valueOf(rs.getString("mode")),
                rs.getString("commit_id"), rs.getBoolean("dirty"), instant(rs, "started_at"),
                instant(rs, "received_at"), rs.getLong("engine_millis"), HostState.fromApiName(rs.getString("status")),
                counts(rs), rs.getString("error"));
    }

    static CommitHosts commit(ResultSet rs, Map<String, List<String>> hostsByCommit) throws SQLException {
        String commit = rs.getString("commit_id");
        return new CommitHosts(commit, instant(rs, "seen_at"), rs.getBoolean("valid"), rs.getString("error"),
                hostsByCommit.getOrDefault(commit, List.of()));
    }

    static ResourceEvent event(ResultSet rs) throws SQLException {
        String action = rs.getString("action");
        return new ResourceEvent(rs.getString("resource_id"), rs.getString("host"), rs.getString("run_id"),
                instant(rs, "started_at"), Mode.valueOf(rs.getString("mode")), rs.getString("commit_id"),
                Status.valueOf(rs.getString("status")), action == null ? null : Action.valueOf(action),
                rs.getString("changes"), rs.getString("error"));
    }

    private static RunCounts counts(ResultSet rs) throws SQLException {
        return new RunCounts(rs.getInt("resources"), rs.getInt("changed"), rs.getInt("failed"), rs.getInt("skipped"),
                rs.getInt("failed_checks"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }
}

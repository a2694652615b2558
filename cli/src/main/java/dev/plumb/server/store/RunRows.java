package dev.plumb.server.store;

import dev.plumb.api.Change;
import dev.plumb.catalog.CheckResult;
import dev.plumb.catalog.Json;
import dev.plumb.catalog.ResourceResult;
import dev.plumb.catalog.RunReport;
import dev.plumb.catalog.Status;
import dev.plumb.system.Gzip;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationFeature;

/**
 * The rows of one run report, made before its transaction (compression, JSON, hashes) so that the transaction only
 * writes. They are written with plain JDBC: ingest is the store's hot path, and Jdbi's binding of each value cost a
 * third of its CPU (measured with bench/store); the rest of the store reads and writes through Jdbi.
 */
final class RunRows {

    /** The longest error kept in a row; the report keeps all of it. */
    static final int ERROR_LIMIT = 10_000;
    /** The longest changes JSON kept in an event row; a longer one is left to the report. */
    private static final int CHANGES_LIMIT = 100_000;
    private static final ObjectWriter CHANGES = Json.MAPPER.writerFor(new TypeReference<List<Change.Entry>>() { })
            .without(SerializationFeature.INDENT_OUTPUT);

    private final String host;
    private final RunReport report;
    private final String commit;
    private final OffsetDateTime started;
    private final OffsetDateTime received;
    private final byte[] compressed;
    private final List<ResourceResult> events;
    /** The sha256 of each event's resource id, the key events are found by. */
    private final List<String> eventKeys;
    private final List<String> eventChanges;
    private final List<CheckResult> failedChecks;

    /** {@code gzipped}: the report's JSON compressed as its sender sent it, kept as it is; null to compress it here. */
    RunRows(String host, RunReport report, byte[] reportJson, byte[] gzipped, Instant received) {
        this.host = host;
        this.report = report;
        this.commit = report.source() == null ? null : report.source().commit();
        this.received = received.atOffset(ZoneOffset.UTC);
        this.started = startedAt(report, received).atOffset(ZoneOffset.UTC);
        this.compressed = gzipped != null ? gzipped : Gzip.compress(reportJson);
        this.events = report.resources().stream().filter(result -> result.status() != Status.IN_SYNC).toList();
        this.eventKeys = events.stream().map(event -> Secrets.sha256(event.id())).toList();
        this.eventChanges = events.stream().map(event -> CHANGES.writeValueAsString(event.changes()))
                .map(changes -> changes.length() > CHANGES_LIMIT ? null : changes).toList();
        this.failedChecks = report.checks() == null ? List.of()
                : report.checks().results().stream().filter(check -> !check.passed()).toList();
    }

    /** When the run started, as the report says; when it arrived if the report does not say. */
    private static Instant startedAt(RunReport report, Instant received) {
        try {
            return report.startedAt() == null ? received : Instant.parse(report.startedAt());
        } catch (DateTimeParseException e) {
            return received;
        }
    }

    String host() {
        return host;
    }

    String runId() {
        return report.runId();
    }

    /**
     * Writes {@code group}: the rows of the hosts not in {@code knownHosts}, then of each run whose run id was not
     * stored before (even by another server at the same moment) with its report, events and failed checks. Answers,
     * in order, whether each run was new; a run stored before, or twice in the group, writes nothing more.
     */
    static List<Boolean> insert(Connection connection, List<RunRows> group, Set<String> knownHosts)
            throws SQLException {
        // Rows are locked in one order by every ingest (hosts by name, runs by id), so that two servers writing the
        // same runs at once wait for each other instead of deadlocking.
        SortedMap<String, OffsetDateTime> newHosts = new TreeMap<>();
        for (RunRows run : group) {
            if (!knownHosts.contains(run.host)) {
                newHosts.putIfAbsent(run.host, run.received);
            }
        }
        for (Map.Entry<String, OffsetDateTime> host : newHosts.entrySet()) {
            insertHostIfMissing(connection, host.getKey(), host.getValue());
        }
        List<RunRows> byRunId = group.stream().sorted(Comparator.comparing(RunRows::runId)).toList();
        int[] counts = insertRuns(connection, byRunId);
        List<RunRows> newRuns = new ArrayList<>();
        for (int i = 0; i < byRunId.size(); i++) {
            if (counts[i] != 0 && counts[i] != 1) {
                throw new IllegalStateException("the store answered " + counts[i] + " rows for one insert of a run");
            }
            if (counts[i] == 1) {
                newRuns.add(byRunId.get(i));
            }
        }
        insertDetails(connection, newRuns);
        // RunRows are equal only to themselves: a run id twice in the group is new once.
        return group.stream().map(newRuns::contains).toList();
    }

    /** Creates the row of {@code host} unless it has one (or another transaction creates it first). */
    static void insertHostIfMissing(Connection connection, String host, OffsetDateTime now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO hosts (name, first_seen_at) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            insert.setString(1, host);
            insert.setObject(2, now);
            insert.executeUpdate();
        }
    }

    /**
     * Inserts the runs' rows, a run id stored before inserting nothing; how many rows each inserted. One statement
     * each, not a batch: PostgreSQL's driver answers a batch's counts as "unknown".
     */
    private static int[] insertRuns(Connection connection, List<RunRows> runs) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO runs (run_id, host, mode, commit_id,"
                + " dirty, started_at, received_at, engine_millis, status, resources, changed, failed, skipped,"
                + " failed_checks, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            int[] counts = new int[runs.size()];
            for (int i = 0; i < runs.size(); i++) {
                RunRows run = runs.get(i);
                RunReport report = run.report;
                RunReport.Summary summary = report.summary();
                insert.setString(1, report.runId());
                insert.setString(2, run.host);
                insert.setString(3, report.mode().name());
                insert.setString(4, run.commit);
                insert.setBoolean(5, report.source() != null && report.source().dirty());
                insert.setObject(6, run.started);
                insert.setObject(7, run.received);
                insert.setLong(8, report.engineMillis());
                insert.setString(9, HostState.of(report).apiName());
                insert.setInt(10, summary.resources());
                insert.setInt(11, summary.changed());
                insert.setInt(12, summary.failed());
                insert.setInt(13, summary.skipped());
                insert.setInt(14, report.failedChecks());
                insert.setString(15, bounded(report.error(), ERROR_LIMIT));
                counts[i] = insert.executeUpdate();
            }
            return counts;
        }
    }

    /** Inserts the runs' reports, the resources that changed or failed, and the checks that failed. */
    private static void insertDetails(Connection connection, List<RunRows> runs) throws SQLException {
        if (runs.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO reports (run_id, report_gz) VALUES (?, ?)")) {
            for (RunRows run : runs) {
                insert.setString(1, run.runId());
                insert.setBytes(2, run.compressed);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        if (runs.stream().anyMatch(run -> !run.events.isEmpty())) {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO resource_events (run_id,"
                    + " resource_key, resource_id, host, started_at, mode, commit_id, status, action, changes, error)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (RunRows run : runs) {
                    for (int i = 0; i < run.events.size(); i++) {
                        ResourceResult event = run.events.get(i);
                        insert.setString(1, run.runId());
                        insert.setString(2, run.eventKeys.get(i));
                        insert.setString(3, event.id());
                        insert.setString(4, run.host);
                        insert.setObject(5, run.started);
                        insert.setString(6, run.report.mode().name());
                        insert.setString(7, run.commit);
                        insert.setString(8, event.status().name());
                        insert.setString(9, event.action() == null ? null : event.action().name());
                        insert.setString(10, run.eventChanges.get(i));
                        insert.setString(11, bounded(event.error(), ERROR_LIMIT));
                        insert.addBatch();
                    }
                }
                insert.executeBatch();
            }
        }
        if (runs.stream().anyMatch(run -> !run.failedChecks.isEmpty())) {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO failed_checks (run_id, check_id, name, reason) VALUES (?, ?, ?, ?)")) {
                for (RunRows run : runs) {
                    for (CheckResult check : run.failedChecks) {
                        insert.setString(1, run.runId());
                        insert.setString(2, check.id());
                        insert.setString(3, check.name());
                        insert.setString(4, bounded(check.reason(), ERROR_LIMIT));
                        insert.addBatch();
                    }
                }
                insert.executeBatch();
            }
        }
    }

    static String bounded(String text, int limit) {
        return text == null || text.length() <= limit ? text : text.substring(0, limit - 1) + "…";
    }
}

package dev.plumb.server.store;

import com.zaxxer.hikari.HikariDataSource;
import dev.plumb.catalog.RunReport;
import dev.plumb.system.Gzip;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.Update;

/**
 * The fleet's store: every run report (idempotent on its run id, each whole in one transaction), hosts and their facts,
 * the commits the server followed, enroll tokens and host credentials. Safe for concurrent use, by several threads
 * and by several servers on one PostgreSQL database.
 */
public final class FleetStore implements AutoCloseable {

    /** The outcome of an ingest: {@code duplicate} when that run id was stored before and nothing changed. */
    public record IngestResult(boolean duplicate) {
    }

    /** How many runs one retention statement deletes, so that a large backlog does not become one huge transaction. */
    private static final int DELETE_CHUNK = 1000;
    /** How often a transaction is tried when it lost a race (a host row created twice at once, a deadlock). */
    private static final int ATTEMPTS = 5;

    /** A host's latest run and its latest apply, ordered alike everywhere. */
    private static final String LATEST_RUN = "(SELECT l.run_id FROM runs l WHERE l.host = h.name"
            + " ORDER BY l.started_at DESC, l.received_at DESC LIMIT 1)";
    private static final String LATEST_APPLY = "(SELECT a.run_id FROM runs a WHERE a.host = h.name AND a.mode = 'APPLY'"
            + " ORDER BY a.started_at DESC, a.received_at DESC LIMIT 1)";
    /** The commit of the run of the same host before run {@code r}. */
    private static final String PREVIOUS_COMMIT = "(SELECT p.commit_id FROM runs p WHERE p.host = r.host"
            + " AND (p.started_at < r.started_at OR p.started_at = r.started_at AND p.received_at < r.received_at)"
            + " ORDER BY p.started_at DESC, p.received_at DESC LIMIT 1)";
    /**
     * How run {@code r} left its host. Ingest stores {@code changed} for an apply that changed resources; that apply
     * found drift when the run before had the same commit. Deciding it when read keeps that look-up out of ingest.
     */
    private static final String RUN_STATUS = "CASE WHEN r.status = 'changed' AND r.commit_id = " + PREVIOUS_COMMIT
            + " THEN 'drifted' ELSE r.status END AS status";
    private static final String HOST_COLUMNS = "h.name, r.run_id, r.received_at, " + RUN_STATUS + ", r.resources,"
            + " r.changed, r.failed, r.skipped, r.failed_checks, (SELECT c.commit_id FROM runs c WHERE c.run_id = "
            + LATEST_APPLY + ") AS applied_commit";
    private static final String HOSTS_WITH_LATEST = " FROM hosts h LEFT JOIN runs r ON r.run_id = " + LATEST_RUN;
    private static final String RUN_COLUMNS = "r.run_id, r.host, r.mode, r.commit_id, r.dirty, r.started_at,"
            + " r.received_at, r.engine_millis, " + RUN_STATUS + ", r.resources, r.changed, r.failed, r.skipped,"
            + " r.failed_checks, r.error";

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final Clock clock;
    /** Hosts known to have their row (rows are never deleted), so that ingest need not make sure of it. */
    private final Set<String> knownHosts = ConcurrentHashMap.newKeySet();
    /** Reports that arrive at the same time are committed together: one commit, not one each, is the cost. */
    private final GroupCommit<RunRows, Boolean> ingests;

    private FleetStore(HikariDataSource dataSource, Clock clock, int concurrentCommits) {
        this.dataSource = dataSource;
        this.jdbi = Database.jdbi(dataSource);
        this.clock = clock;
        this.ingests = new GroupCommit<>(concurrentCommits, this::insertRuns, Database::mayBeCausedByOneRow);
    }

    /** Opens the store: migrates its schema to this version of plumb (from empty on first use), then pools. */
    public static FleetStore open(StoreConfig config) {
        HikariDataSource dataSource = Database.pool(config);
        try {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        } catch (FlywayException e) {
            dataSource.close();
            throw new StoreException("cannot migrate the store at " + Database.describe(config) + ": "
                    + e.getMessage(), e);
        }
        return new FleetStore(dataSource, config.clock(), Database.concurrentCommits(config));
    }

    /**
     * Stores one run report of {@code host} (its JSON as received, compressed, with a row for the run and one per
     * resource that changed or failed and per failed check), all in one transaction, which also holds the reports that
     * arrived at the same time; it returns once that transaction committed. A run id stored before, even
     * by another server at the same moment, changes nothing and answers {@code duplicate}.
     */
    public IngestResult ingest(String host, RunReport report, byte[] reportJson) {
        return ingest(host, report, reportJson, null);
    }

    /**
     * As {@link #ingest(String, RunReport, byte[])}, for a report that arrived gzip-compressed: {@code gzipped}, whose
     * content is {@code reportJson}, is kept as it came rather than compressed again.
     */
    public IngestResult ingest(String host, RunReport report, byte[] reportJson, byte[] gzipped) {
        boolean stored = ingests.write(new RunRows(host, report, reportJson, gzipped, clock.instant()));
        return new IngestResult(!stored);
    }

    /** Writes runs that arrived together in one transaction; whether each was new. */
    private List<Boolean> insertRuns(List<RunRows> group) {
        List<Boolean> stored = transaction(handle -> RunRows.insert(handle.getConnection(), group, knownHosts));
        group.forEach(rows -> knownHosts.add(rows.host()));
        return stored;
    }

    /** Keeps the facts {@code host} sent last (the JSON as sent). */
    public void recordFacts(String host, byte[] factsJson) {
        Instant now = clock.instant();
        byte[] compressed = Gzip.compress(factsJson);
        transaction(handle -> updateHost(handle, host, now, "facts_gz = :facts, facts_at = :now",
                update -> update.bind("facts", compressed).bind("now", now)));
    }

    /** Records a commit the server followed, and whether it compiled; a commit seen before keeps its first time. */
    public void recordCommit(String commit, Instant seenAt, boolean valid, String error) {
        String bounded = RunRows.bounded(error, RunRows.ERROR_LIMIT);
        transaction(handle -> {
            int updated = handle.createUpdate("UPDATE commits SET valid = :valid, error = :error WHERE commit_id = :commit")
                    .bind("commit", commit).bind("valid", valid).bind("error", bounded).execute();
            if (updated == 0) {
                handle.createUpdate("INSERT INTO commits (commit_id, seen_at, valid, error)"
                                + " VALUES (:commit, :seenAt, :valid, :error)")
                        .bind("commit", commit).bind("seenAt", seenAt).bind("valid", valid).bind("error", bounded)
                        .execute();
            }
            return null;
        });
    }

    /** Records that {@code host} was served the catalog of {@code commit}. */
    public void recordCatalogServed(String host, String commit, Instant at) {
        transaction(handle -> updateHost(handle, host, at, "catalog_commit = :commit, catalog_served_at = :at",
                update -> update.bind("commit", commit).bind("at", at)));
    }

    /** Runs {@code UPDATE hosts SET assignments} for {@code host}, creating its row first when it has none. */
    private static Void updateHost(Handle handle, String host, Instant now, String assignments,
                                   Consumer<Update> binder) throws SQLException {
        for (int attempt = 0; attempt < 2; attempt++) {
            Update update = handle.createUpdate("UPDATE hosts SET " + assignments + " WHERE name = :host")
                    .bind("host", host);
            binder.accept(update);
            if (update.execute() > 0) {
                return null;
            }
            if (attempt == 0) {
                RunRows.insertHostIfMissing(handle.getConnection(), host, now.atOffset(ZoneOffset.UTC));
            }
        }
        throw new IllegalStateException("host " + host + " has no row right after it was inserted (this is a bug in plumb)");
    }

    /**
     * A new one-use enroll token for {@code host}, valid for {@code validFor}: the random secret, which the store
     * keeps only as its sha256.
     */
    public String createEnrollToken(String host, Duration validFor) {
        String secret = Secrets.random();
        Instant now = clock.instant();
        transaction(handle -> handle.createUpdate("INSERT INTO enroll_tokens (token_sha256, host, created_at, expires_at)"
                        + " VALUES (:sha, :host, :now, :expires)")
                .bind("sha", Secrets.sha256(secret)).bind("host", host).bind("now", now)
                .bind("expires", now.plus(validFor)).execute());
        return secret;
    }

    /**
     * Trades an enroll token of {@code host} for a new credential of that host (replacing any it had), using the
     * token up; empty when the token is unknown, used, expired or for another host.
     */
    public Optional<String> redeemEnrollToken(String host, String secret) {
        Instant now = clock.instant();
        String credential = Secrets.random();
        return transaction(handle -> {
            int used = handle.createUpdate("UPDATE enroll_tokens SET used_at = :now WHERE token_sha256 = :sha"
                            + " AND host = :host AND used_at IS NULL AND expires_at > :now")
                    .bind("now", now).bind("sha", Secrets.sha256(secret)).bind("host", host).execute();
            if (used == 0) {
                return Optional.<String>empty();
            }
            updateHost(handle, host, now, "credential_sha256 = :credential, enrolled_at = :now",
                    update -> update.bind("credential", Secrets.sha256(credential)).bind("now", now));
            return Optional.of(credential);
        });
    }

    /**
     * The host a credential belongs to; empty for an unknown or revoked one. Every API call asks, so this is plain
     * JDBC, like ingest: Jdbi's statement machinery cost most of its time.
     */
    public Optional<String> hostForCredential(String credential) {
        String sha256 = Secrets.sha256(credential);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT name FROM hosts WHERE credential_sha256 = ?")) {
            query.setString(1, sha256);
            try (ResultSet host = query.executeQuery()) {
                return host.next() ? Optional.of(host.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw databaseFailed(e);
        }
    }

    /**
     * Revokes the credential of {@code host} and the enroll tokens it has not used; true when it had a credential.
     * It can enroll again only with a token made after this.
     */
    public boolean revoke(String host) {
        return transaction(handle -> {
            handle.createUpdate("DELETE FROM enroll_tokens WHERE host = :host AND used_at IS NULL")
                    .bind("host", host).execute();
            return handle.createUpdate("UPDATE hosts SET credential_sha256 = NULL, enrolled_at = NULL"
                            + " WHERE name = :host AND credential_sha256 IS NOT NULL")
                    .bind("host", host).execute() > 0;
        });
    }

    /** Every host with its state, by name; {@code unreachable} when its latest report is older than two intervals. */
    public List<HostStatus> hosts(Duration agentInterval, Instant now) {
        Freshness freshness = new Freshness(agentInterval, now);
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + HOST_COLUMNS + HOSTS_WITH_LATEST
                        + " ORDER BY h.name")
                .map((rs, ctx) -> Rows.hostStatus(rs, freshness)).list());
    }

    /** One host in full, its state as its latest run left it (not judged for reachability: see the overload). */
    public Optional<HostDetail> host(String host) {
        return host(host, Freshness.UNJUDGED);
    }

    /** One host in full, {@code unreachable} when its latest report is older than two agent intervals. */
    public Optional<HostDetail> host(String host, Duration agentInterval, Instant now) {
        return host(host, new Freshness(agentInterval, now));
    }

    private Optional<HostDetail> host(String host, Freshness freshness) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + HOST_COLUMNS + ", h.credential_sha256,"
                        + " h.catalog_commit, h.catalog_served_at, h.facts_at, h.facts_gz" + HOSTS_WITH_LATEST
                        + " WHERE h.name = :host")
                .bind("host", host).map((rs, ctx) -> Rows.hostDetail(rs, freshness)).findOne());
    }

    /** The latest {@code limit} runs of {@code host}, newest first. */
    public List<RunSummary> runs(String host, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + RUN_COLUMNS + " FROM runs r WHERE r.host = :host"
                        + " ORDER BY r.started_at DESC, r.received_at DESC LIMIT :limit")
                .bind("host", host).bind("limit", limit).map((rs, ctx) -> Rows.runSummary(rs)).list());
    }

    /** The report of one run, its JSON as it was received. */
    public Optional<byte[]> report(String runId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT report_gz FROM reports WHERE run_id = :runId")
                .bind("runId", runId).mapTo(byte[].class).findOne()).map(Gzip::decompress);
    }

    /**
     * The commits the server followed, newest first, then those known only from reports; each with the hosts whose
     * latest apply ran it.
     */
    public List<CommitHosts> commits() {
        return jdbi.withHandle(handle -> {
            Map<String, List<String>> hostsByCommit = new TreeMap<>();
            handle.createQuery("SELECT c.commit_id, h.name FROM hosts h JOIN runs c ON c.run_id = " + LATEST_APPLY
                            + " WHERE c.commit_id IS NOT NULL ORDER BY h.name")
                    .map((rs, ctx) -> Map.entry(rs.getString("commit_id"), rs.getString("name")))
                    .forEach(hostOnCommit -> hostsByCommit.computeIfAbsent(hostOnCommit.getKey(), c -> new ArrayList<>())
                            .add(hostOnCommit.getValue()));
            Map<String, CommitHosts> commits = new LinkedHashMap<>();
            handle.createQuery("SELECT commit_id, seen_at, valid, error FROM commits ORDER BY seen_at DESC, commit_id")
                    .map((rs, ctx) -> Rows.commit(rs, hostsByCommit))
                    .forEach(commit -> commits.put(commit.commit(), commit));
            hostsByCommit.forEach((commit, hosts) -> commits.computeIfAbsent(commit,
                    c -> new CommitHosts(c, null, null, null, hosts)));
            return List.copyOf(commits.values());
        });
    }

    /** The latest {@code limit} changes and failures of one resource across hosts, newest first. */
    public List<ResourceEvent> events(String resourceId, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT resource_id, host, run_id, started_at, mode,"
                        + " commit_id, status, action, changes, error FROM resource_events WHERE resource_key = :key"
                        + " ORDER BY started_at DESC, run_id LIMIT :limit")
                .bind("key", Secrets.sha256(resourceId)).bind("limit", limit)
                .map((rs, ctx) -> Rows.event(rs)).list());
    }

    /**
     * Deletes the runs that started before {@code cutoff}, with their events and failed checks, except each host's
     * latest run and latest apply (which say how it stands and which commit it is on); returns how many.
     */
    public int deleteRunsOlderThan(Instant cutoff) {
        int deleted = 0;
        while (true) {
            int chunk = transaction(handle -> {
                List<String> expired = handle.createQuery("SELECT r.run_id FROM runs r JOIN hosts h ON h.name = r.host"
                                + " WHERE r.started_at < :cutoff AND r.run_id <> " + LATEST_RUN
                                + " AND r.run_id <> COALESCE(" + LATEST_APPLY + ", '') LIMIT " + DELETE_CHUNK)
                        .bind("cutoff", cutoff).mapTo(String.class).list();
                if (expired.isEmpty()) {
                    return 0;
                }
                return handle.createUpdate("DELETE FROM runs WHERE run_id IN (<expired>)")
                        .bindList("expired", expired).execute();
            });
            if (chunk == 0) {
                return deleted;
            }
            deleted += chunk;
        }
    }

    /** Runs {@code work} in one transaction, again when it lost a race that a new attempt wins. */
    private <T> T transaction(HandleCallback<T, SQLException> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return jdbi.inTransaction(work);
            } catch (SQLException | JdbiException e) {
                if (attempt >= ATTEMPTS || !Database.isRetryable(e)) {
                    // The database's failure (it is down, it refused a value) is the store's, answered 503; any other
                    // failure of Jdbi is a bug in plumb.
                    throw Database.isFromTheDatabase(e) ? databaseFailed(e) : (JdbiException) e;
                }
            }
        }
    }

    private static StoreException databaseFailed(Exception e) {
        return new StoreException("the store's database failed: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        dataSource.close();
    }

}

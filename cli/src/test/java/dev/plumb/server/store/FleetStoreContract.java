package dev.plumb.server.store;

import static dev.plumb.server.store.Reports.changed;
import static dev.plumb.server.store.Reports.failed;
import static dev.plumb.server.store.Reports.inSync;
import static dev.plumb.server.store.Reports.json;
import static dev.plumb.server.store.Reports.report;
import static dev.plumb.server.store.Reports.resources;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.catalog.Json;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.RunReport;
import dev.plumb.catalog.Status;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the store promises, run against each database it supports (H2 and PostgreSQL). */
abstract class FleetStoreContract {

    static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");
    static final Duration INTERVAL = Duration.ofMinutes(30);

    @TempDir
    Path stateDir;
    final MutableClock clock = new MutableClock(T0);
    StoreConfig config;
    FleetStore store;

    /** A configuration of a new, empty database of this kind, telling the time by {@code clock}. */
    abstract StoreConfig emptyDatabase(Path stateDir, Clock clock) throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        config = emptyDatabase(stateDir, clock);
        store = FleetStore.open(config);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void migratesFromEmptyAndReopensWithItsData() {
        RunReport report = report("web1", Mode.APPLY, "c1", T0, resources(3, 1, 0));
        store.ingest("web1", report, json(report));
        store.close();

        store = FleetStore.open(config);

        assertThat(store.runs("web1", 10)).extracting(RunSummary::runId).containsExactly(report.runId());
    }

    @Test
    void ingestStoresTheReportOnceAndADuplicateChangesNothing() {
        RunReport report = report("web1", Mode.APPLY, "c1", T0, resources(200, 2, 1));

        assertThat(store.ingest("web1", report, json(report)).duplicate()).isFalse();
        RunReport again = report.withChecks(null);
        byte[] otherBytes = "{\"not\":\"the same\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(store.ingest("web1", again, otherBytes).duplicate()).isTrue();

        assertThat(store.report(report.runId())).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(json(report)));
        List<RunSummary> runs = store.runs("web1", 10);
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).summary()).isEqualTo(new RunCounts(200, 2, 1, 0, 0));
        assertThat(runs.get(0).commit()).isEqualTo("c1");
        assertThat(runs.get(0).startedAt()).isEqualTo(T0);
        assertThat(store.events("file[/srv/file0]", 10)).hasSize(1);
        assertThat(store.events("file[/srv/file2]", 10)).hasSize(1);
        assertThat(store.events("file[/srv/file3]", 10)).isEmpty();
    }

    @Test
    void concurrentPostsOfOneReportStoreItOnce() throws Exception {
        RunReport report = report("web1", Mode.APPLY, "c1", T0, resources(200, 5, 0));
        byte[] bytes = json(report);

        List<FleetStore.IngestResult> results = concurrently(8, () -> store.ingest("web1", report, bytes));

        assertThat(results).filteredOn(result -> !result.duplicate()).hasSize(1);
        assertThat(store.runs("web1", 10)).hasSize(1);
        assertThat(store.events("file[/srv/file4]", 10)).hasSize(1);
    }

    @Test
    void concurrentReportsOfOneNewHostAreAllStored() throws Exception {
        // The host's row does not exist yet: every group in flight inserts it. Only PostgreSQL commits several groups
        // at once; on H2 the groups come one after another.
        List<FleetStore.IngestResult> results = concurrently(16, () -> {
            RunReport report = report("web1", Mode.APPLY, "c1", T0, resources(20, 2, 0));
            return store.ingest("web1", report, json(report));
        });

        assertThat(results).noneMatch(FleetStore.IngestResult::duplicate);
        assertThat(store.runs("web1", 100)).hasSize(16);
        assertThat(store.hosts(INTERVAL, T0)).extracting(HostStatus::host).containsExactly("web1");
    }

    @Test
    void aGroupOfReportsIsWrittenInOneTransactionTellingNewRunsFromStoredOnes() throws Exception {
        RunReport stored = report("web1", Mode.APPLY, "c1", T0, resources(20, 2, 0));
        ingest(stored);
        RunReport web1 = report("web1", Mode.APPLY, "c2", T0.plusSeconds(60), resources(20, 3, 0));
        RunReport web2 = report("web2", Mode.CHECK, "c2", T0.plusSeconds(60), resources(20, 1, 0));
        List<RunRows> group = List.of(rows(stored), rows(web1), rows(web2), rows(web1));

        List<Boolean> inserted;
        try (var dataSource = Database.pool(config); Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            inserted = RunRows.insert(connection, group, Set.of("web1"));
            connection.commit();
        }

        assertThat(inserted).containsExactly(false, true, true, false);
        assertThat(store.runs("web1", 10)).hasSize(2);
        assertThat(store.runs("web2", 10)).hasSize(1);
        assertThat(store.events("file[/srv/file1]", 10)).extracting(ResourceEvent::runId)
                .containsExactlyInAnyOrder(stored.runId(), web1.runId());
    }

    private RunRows rows(RunReport report) {
        return new RunRows(report.host(), report, json(report), null, clock.instant());
    }

    @Test
    void reportsOfManyHostsArrivingTogetherAreAllStoredAndOneTheStoreRefusesFailsAlone() throws Exception {
        // A host name longer than the store's column: its insert fails, in whichever group it was committed.
        String refusedHost = "h".repeat(300);
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            hosts.add(i == 17 ? refusedHost : "web" + i);
        }
        AtomicInteger next = new AtomicInteger();
        List<String> outcomes = concurrently(hosts.size(), () -> {
            String host = hosts.get(next.getAndIncrement());
            RunReport report = report(host, Mode.APPLY, "c1", T0, resources(20, 2, 0));
            try {
                return store.ingest(host, report, json(report)).duplicate() ? "duplicate" : "stored";
            } catch (RuntimeException e) {
                return host.equals(refusedHost) ? "refused" : "failed: " + e;
            }
        });

        assertThat(outcomes).containsOnly("stored", "refused").filteredOn("refused"::equals).hasSize(1);
        assertThat(store.hosts(INTERVAL, T0)).hasSize(39);
        assertThat(store.events("file[/srv/file1]", 100)).hasSize(39);
        assertThat(store.runs("web39", 10)).hasSize(1);
    }

    @Test
    void hostsShowHowTheirLatestRunLeftThem() {
        ingest(report("in-sync", Mode.APPLY, "c1", T0, resources(5, 0, 0)));
        ingest(report("changed", Mode.APPLY, "c1", T0, resources(5, 0, 0)));
        ingest(report("changed", Mode.APPLY, "c2", T0.plusSeconds(60), resources(5, 2, 0)));
        ingest(report("drifted-apply", Mode.APPLY, "c1", T0, resources(5, 0, 0)));
        ingest(report("drifted-apply", Mode.APPLY, "c1", T0.plusSeconds(60), resources(5, 1, 0)));
        ingest(report("drifted-check", Mode.CHECK, "c1", T0, List.of(changed("file[/etc/motd]", Status.WOULD_CHANGE))));
        ingest(Reports.withFailedCheck(report("failing-checks", Mode.APPLY, "c1", T0, resources(5, 0, 0))));
        ingest(report("failed", Mode.APPLY, "c1", T0, resources(5, 1, 1)));
        ingest(report("failed", Mode.APPLY, "c1", T0.minusSeconds(60), resources(5, 0, 0)));
        store.redeemEnrollToken("never-reported", store.createEnrollToken("never-reported", Duration.ofHours(24)));

        List<HostStatus> hosts = store.hosts(INTERVAL, T0.plusSeconds(120));

        assertThat(hosts).extracting(HostStatus::host, HostStatus::status).containsExactly(
                entry("changed", HostState.CHANGED), entry("drifted-apply", HostState.DRIFTED),
                entry("drifted-check", HostState.DRIFTED), entry("failed", HostState.FAILED),
                entry("failing-checks", HostState.FAILING_CHECKS), entry("in-sync", HostState.IN_SYNC),
                entry("never-reported", HostState.NEVER_REPORTED));
    }

    @Test
    void aHostWithoutAReportForTwoIntervalsIsUnreachable() {
        ingest(report("quiet", Mode.APPLY, "c1", T0, resources(5, 0, 0)));
        clock.advance(INTERVAL.multipliedBy(2).minusSeconds(1));
        ingest(report("busy", Mode.APPLY, "c1", clock.instant(), resources(5, 0, 0)));

        List<HostStatus> hosts = store.hosts(INTERVAL, T0.plus(INTERVAL.multipliedBy(2)).plusSeconds(1));

        assertThat(hosts).extracting(HostStatus::host, HostStatus::status)
                .containsExactly(entry("busy", HostState.IN_SYNC), entry("quiet", HostState.UNREACHABLE));
        assertThat(hosts.get(1).lastReportAt()).isEqualTo(T0);
    }

    private static Tuple entry(String host, Object state) {
        return Tuple.tuple(host, state);
    }

    @Test
    void aHostShowsItsLatestRunCommitAndFacts() {
        RunReport first = report("web1", Mode.APPLY, "c1", T0, resources(4, 1, 0));
        RunReport latest = report("web1", Mode.APPLY, "c2", T0.plusSeconds(60), resources(4, 0, 0));
        ingest(latest);
        ingest(first);
        store.recordFacts("web1", "{\"hostname\":\"web1\",\"os\":{\"family\":\"debian\"}}".getBytes(StandardCharsets.UTF_8));
        store.recordCatalogServed("web1", "c3", T0.plusSeconds(90));

        HostDetail host = store.host("web1", INTERVAL, T0.plusSeconds(120)).orElseThrow();

        assertThat(host.status()).isEqualTo(HostState.IN_SYNC);
        assertThat(host.lastRunId()).isEqualTo(latest.runId());
        assertThat(host.commit()).isEqualTo("c2");
        assertThat(host.catalogCommit()).isEqualTo("c3");
        assertThat(host.summary()).isEqualTo(new RunCounts(4, 0, 0, 0, 0));
        assertThat(host.enrolled()).isFalse();
        assertThat(Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(host)).get("facts").get("os").get("family")
                .asString()).isEqualTo("debian");
        assertThat(store.runs("web1", 10)).extracting(RunSummary::runId).containsExactly(latest.runId(), first.runId());
        assertThat(store.runs("web1", 1)).hasSize(1);
        assertThat(store.host("nobody-knows")).isEmpty();
    }

    @Test
    void commitsListTheHostsWhoseLatestApplyRanThem() {
        store.recordCommit("c1", T0, true, null);
        store.recordCommit("c2", T0.plusSeconds(60), false, "site.yaml:3:7: unknown key 'moed'");
        store.recordCommit("c2", T0.plusSeconds(90), false, "site.yaml:3:7: unknown key 'mode'");
        ingest(report("web1", Mode.APPLY, "c1", T0, resources(3, 0, 0)));
        ingest(report("web2", Mode.APPLY, "c1", T0, resources(3, 0, 0)));
        ingest(report("web2", Mode.CHECK, "c0", T0.plusSeconds(10), resources(3, 0, 0)));
        ingest(report("db1", Mode.APPLY, "local", T0, resources(3, 0, 0)));

        List<CommitHosts> commits = store.commits();

        assertThat(commits).containsExactly(
                new CommitHosts("c2", T0.plusSeconds(60), false, "site.yaml:3:7: unknown key 'mode'", List.of()),
                new CommitHosts("c1", T0, true, null, List.of("web1", "web2")),
                new CommitHosts("local", null, null, null, List.of("db1")));
    }

    @Test
    void eventsListTheChangesAndFailuresOfOneResourceAcrossHosts() {
        ingest(report("web1", Mode.APPLY, "c1", T0, List.of(changed("file[/etc/motd]", Status.CHANGED))));
        ingest(report("web2", Mode.APPLY, "c1", T0.plusSeconds(30), List.of(failed("file[/etc/motd]"))));
        ingest(report("web2", Mode.APPLY, "c1", T0.plusSeconds(60), List.of(inSync("file[/etc/motd]"))));

        List<ResourceEvent> events = store.events("file[/etc/motd]", 10);

        assertThat(events).extracting(ResourceEvent::host, ResourceEvent::status)
                .containsExactly(entry("web2", Status.FAILED), entry("web1", Status.CHANGED));
        assertThat(events.get(0).error()).isEqualTo("cannot write file[/etc/motd]: disk full");
        assertThat(Json.MAPPER.readTree(events.get(1).changes()).get(0).get("after").asString()).isEqualTo("0600");
        assertThat(store.events("file[/etc/motd]", 1)).hasSize(1);
    }

    @Test
    void retentionDeletesOldRunsButKeepsEachHostsLatestRunAndApply() {
        Instant old = T0.minus(Duration.ofDays(40));
        RunReport olderApply = report("web1", Mode.APPLY, "c0", old.minusSeconds(60), resources(3, 1, 0));
        RunReport oldApply = report("web1", Mode.APPLY, "c1", old, resources(3, 1, 0));
        RunReport oldCheck = report("web1", Mode.CHECK, "c1", old.plusSeconds(60), resources(3, 1, 0));
        RunReport expired = Reports.withFailedCheck(report("web2", Mode.APPLY, "c1", old, resources(3, 1, 0)));
        RunReport recent = report("web2", Mode.APPLY, "c1", T0, resources(3, 0, 0));
        List.of(olderApply, oldApply, oldCheck, expired, recent).forEach(this::ingest);

        int deleted = store.deleteRunsOlderThan(T0.minus(Duration.ofDays(30)));

        assertThat(deleted).isEqualTo(2);
        assertThat(store.runs("web1", 10)).extracting(RunSummary::runId).containsExactly(oldCheck.runId(), oldApply.runId());
        assertThat(store.runs("web2", 10)).extracting(RunSummary::runId).containsExactly(recent.runId());
        assertThat(store.report(expired.runId())).isEmpty();
        assertThat(store.events("file[/srv/file0]", 10)).extracting(ResourceEvent::runId)
                .containsExactly(oldCheck.runId(), oldApply.runId());
        assertThat(store.hosts(INTERVAL, T0)).extracting(HostStatus::commit).containsExactly("c1", "c1");
        assertThat(store.deleteRunsOlderThan(T0.minus(Duration.ofDays(30)))).isZero();
    }

    @Test
    void aKilledServerKeepsEveryReportItAcceptedWhole() throws Exception {
        store.close();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), IngestUntilKilled.class.getName(), stateDir.toString()));
        if (config.jdbcUrl() != null) {
            command.addAll(List.of(config.jdbcUrl(), config.user(), config.password()));
        }
        Process server = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> accepted = new ArrayList<>();
        try (BufferedReader output = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            for (String runId = output.readLine(); runId != null && accepted.size() < 300; runId = output.readLine()) {
                accepted.add(runId);
            }
            server.destroyForcibly();
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(accepted).as("reports accepted before the kill").hasSize(300);

        store = FleetStore.open(config);

        List<RunSummary> stored = store.runs("crash", 100_000);
        assertThat(stored).extracting(RunSummary::runId).containsAll(accepted);
        for (RunSummary run : stored) {
            assertThat(store.report(run.runId())).as("report of " + run.runId()).isPresent();
        }
        for (int i = 0; i < IngestUntilKilled.CHANGED; i++) {
            assertThat(store.events("file[/srv/file" + i + "]", 100_000)).as("events of each stored run")
                    .hasSize(stored.size());
        }
    }

    @Test
    void anEnrollTokenIsUsedOnceByItsHostBeforeItExpires() {
        String token = store.createEnrollToken("web1", Duration.ofHours(24));
        String expiring = store.createEnrollToken("web2", Duration.ofHours(24));

        assertThat(store.redeemEnrollToken("web2", token)).as("another host's token").isEmpty();
        Optional<String> credential = store.redeemEnrollToken("web1", token);
        assertThat(credential).isPresent();
        assertThat(credential.get()).hasSize(43);
        assertThat(store.redeemEnrollToken("web1", token)).as("a used token").isEmpty();
        assertThat(store.hostForCredential(credential.get())).contains("web1");
        assertThat(store.host("web1").orElseThrow().enrolled()).isTrue();
        assertThat(store.redeemEnrollToken("web1", "made-up")).isEmpty();

        clock.advance(Duration.ofHours(24));
        assertThat(store.redeemEnrollToken("web2", expiring)).as("an expired token").isEmpty();
    }

    @Test
    void concurrentRedeemsOfOneTokenGiveOneCredential() throws Exception {
        String token = store.createEnrollToken("web1", Duration.ofHours(24));

        List<Optional<String>> credentials = concurrently(8, () -> store.redeemEnrollToken("web1", token));

        assertThat(credentials).filteredOn(Optional::isPresent).hasSize(1);
    }

    @Test
    void aRevokedOrReplacedCredentialIsRefused() {
        String first = store.redeemEnrollToken("web1", store.createEnrollToken("web1", Duration.ofHours(1))).orElseThrow();
        String second = store.redeemEnrollToken("web1", store.createEnrollToken("web1", Duration.ofHours(1))).orElseThrow();
        String pending = store.createEnrollToken("web1", Duration.ofHours(1));

        assertThat(store.hostForCredential(first)).as("replaced by enrolling again").isEmpty();
        assertThat(store.revoke("web1")).isTrue();
        assertThat(store.hostForCredential(second)).isEmpty();
        assertThat(store.redeemEnrollToken("web1", pending)).as("a token made before the revocation").isEmpty();
        assertThat(store.revoke("web1")).isFalse();
        assertThat(store.host("web1").orElseThrow().enrolled()).isFalse();
        assertThat(store.redeemEnrollToken("web1", store.createEnrollToken("web1", Duration.ofHours(1)))).isPresent();
    }

    @Test
    void onlyHashesOfSecretsAreStored() throws Exception {
        String token = store.createEnrollToken("web1", Duration.ofHours(1));
        String credential = store.redeemEnrollToken("web1", token).orElseThrow();

        assertThat(databaseText()).doesNotContain(token).doesNotContain(credential)
                .contains(Secrets.sha256(token)).contains(Secrets.sha256(credential));
    }

    /** Every value of the tables that hold secrets' hashes, as text. */
    private String databaseText() throws Exception {
        Properties login = new Properties();
        if (config.user() != null) {
            login.setProperty("user", config.user());
            login.setProperty("password", config.password());
        }
        StringBuilder text = new StringBuilder();
        try (Connection connection = DriverManager.getConnection(Database.jdbcUrl(config), login);
             Statement statement = connection.createStatement()) {
            for (String table : List.of("hosts", "enroll_tokens")) {
                try (ResultSet rows = statement.executeQuery("SELECT * FROM " + table)) {
                    while (rows.next()) {
                        for (int column = 1; column <= rows.getMetaData().getColumnCount(); column++) {
                            text.append(rows.getString(column)).append('\n');
                        }
                    }
                }
            }
        }
        return text.toString();
    }

    void ingest(RunReport report) {
        assertThat(store.ingest(report.host(), report, json(report)).duplicate()).isFalse();
    }

    /** Runs {@code task} on {@code threads} threads released at once, and its results. */
    static <T> List<T> concurrently(int threads, Callable<T> task) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(executor.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            executor.shutdownNow();
        }
    }
}

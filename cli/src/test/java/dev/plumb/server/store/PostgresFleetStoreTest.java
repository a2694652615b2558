package dev.plumb.server.store;

import static dev.plumb.server.store.Reports.json;
import static dev.plumb.server.store.Reports.report;
import static dev.plumb.server.store.Reports.resources;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.catalog.Mode;
import dev.plumb.catalog.RunReport;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The store's contract on PostgreSQL: a cluster of this machine's PostgreSQL, a new database for each test. */
class PostgresFleetStoreTest extends FleetStoreContract {

    private static PostgresCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = PostgresCluster.start();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void twoServersOnOneDatabaseStoreEveryReportOnce() throws Exception {
        StoreConfig shared = emptyDatabase(stateDir, clock);
        List<FleetStore> servers = concurrently(2, () -> FleetStore.open(shared));
        try {
            List<RunReport> reports = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                reports.add(report("web" + i % 20, Mode.APPLY, "c1", T0.plusSeconds(i), resources(50, 2, 1)));
            }
            AtomicInteger next = new AtomicInteger();
            // Every report goes to one server, then again to the other, as an agent's retry through a load balancer.
            List<Integer> stored = concurrently(8, () -> {
                int count = 0;
                for (int i = next.getAndIncrement(); i < reports.size(); i = next.getAndIncrement()) {
                    RunReport report = reports.get(i);
                    for (int server = i; server < i + 2; server++) {
                        if (!servers.get(server % 2).ingest(report.host(), report, json(report)).duplicate()) {
                            count++;
                        }
                    }
                }
                return count;
            });

            assertThat(stored.stream().mapToInt(Integer::intValue).sum()).isEqualTo(reports.size());
            for (FleetStore server : servers) {
                assertThat(server.hosts(INTERVAL, T0)).hasSize(20)
                        .allSatisfy(host -> assertThat(host.status()).isEqualTo(HostState.FAILED));
                assertThat(server.runs("web7", 1000)).hasSize(20);
                assertThat(server.events("file[/srv/file2]", 1000)).hasSize(reports.size());
            }
        } finally {
            servers.forEach(FleetStore::close);
        }
    }

    @Override
    StoreConfig emptyDatabase(Path stateDir, Clock clock) throws Exception {
        return new StoreConfig(cluster.createDatabase(), PostgresCluster.USER, PostgresCluster.PASSWORD, stateDir, clock);
    }
}

package dev.plumb.server.store;

import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

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

    @Override
    StoreConfig emptyDatabase(Path stateDir, Clock clock) throws Exception {
        return new StoreConfig(cluster.createDatabase(), PostgresCluster.USER, PostgresCluster.PASSWORD, stateDir, clock);
    }
}

package dev.plumb.server.store;

import java.nio.file.Path;
import java.time.Clock;

/** The store's contract on its default database: the embedded H2 file under the state directory. */
class H2FleetStoreTest extends FleetStoreContract {

    @Override
    StoreConfig emptyDatabase(Path stateDir, Clock clock) {
        return new StoreConfig(null, null, null, stateDir, clock);
    }
}

package dev.plumb.server.store;

import dev.plumb.catalog.Mode;
import dev.plumb.catalog.RunReport;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A server's part in the crash test: opens the store and ingests reports of one host until it is killed, printing
 * each run id once the store has accepted its report (when the server would answer 200 and the agent delete it).
 *
 * <pre>IngestUntilKilled STATE_DIR [JDBC_URL USER PASSWORD]</pre>
 */
public final class IngestUntilKilled {

    /** What every report of the crash test holds: of its 200 resources, these changed. */
    static final int CHANGED = 3;

    private IngestUntilKilled() {
    }

    public static void main(String[] args) {
        StoreConfig config = args.length == 1 ? StoreConfig.embedded(Path.of(args[0]))
                : new StoreConfig(args[1], args[2], args[3], Path.of(args[0]));
        FleetStore store = FleetStore.open(config);
        while (true) {
            RunReport report = Reports.report("crash", Mode.APPLY, "c1", Instant.now(), Reports.resources(200, CHANGED, 0));
            store.ingest("crash", report, Reports.json(report));
            System.out.println(report.runId());
            System.out.flush();
        }
    }
}

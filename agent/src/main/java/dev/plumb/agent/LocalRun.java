package dev.plumb.agent;

import dev.plumb.engine.Context;
import dev.plumb.engine.Engine;
import dev.plumb.engine.Mode;
import dev.plumb.engine.RunReport;
import dev.plumb.report.ReportStore;
import dev.plumb.system.BackupStore;
import dev.plumb.system.ProcessCommandRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;

/** Runs a catalog on this host with the real system seams, and keeps the report in the state directory. */
public final class LocalRun {

    private final Path stateDirectory;

    public LocalRun(Path stateDirectory) {
        this.stateDirectory = stateDirectory;
    }

    public RunReport run(Engine.Prepared catalog, Mode mode) throws IOException {
        Context context = new Context(new ProcessCommandRunner(), new BackupStore(stateDirectory.resolve("backups")), Set.of());
        RunReport report = new Engine(context, Engine.defaultParallelism(), Clock.systemUTC()).run(catalog, mode);
        new ReportStore(stateDirectory).save(report);
        return report;
    }
}

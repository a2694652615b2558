package dev.plumb.agent;

import dev.plumb.engine.Context;
import dev.plumb.engine.Engine;
import dev.plumb.engine.Mode;
import dev.plumb.engine.RunReport;
import dev.plumb.providers.Providers;
import dev.plumb.report.ReportStore;
import dev.plumb.system.BackupStore;
import dev.plumb.system.CommandRunner;
import dev.plumb.system.ProcessCommandRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

/** Runs a catalog on this host with the real system seams, and keeps the report in the state directory. */
public final class LocalRun {

    private final Path stateDirectory;
    private final Map<String, Object> facts;

    /** A run in {@code stateDirectory} on this host, whose {@code facts} choose the providers. */
    public LocalRun(Path stateDirectory, Map<String, Object> facts) {
        this.stateDirectory = stateDirectory;
        this.facts = facts;
    }

    public RunReport run(Engine.Prepared catalog, Mode mode) throws IOException {
        CommandRunner commands = new ProcessCommandRunner();
        Context context = new Context(commands, new BackupStore(stateDirectory.resolve("backups")),
                new Providers(commands, facts), Set.of());
        RunReport report = new Engine(context, Engine.defaultParallelism(), Clock.systemUTC()).run(catalog, mode);
        new ReportStore(stateDirectory).save(report);
        return report;
    }
}

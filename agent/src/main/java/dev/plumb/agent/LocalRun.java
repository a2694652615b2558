package dev.plumb.agent;

import dev.plumb.checks.CheckContext;
import dev.plumb.checks.CheckRunner;
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

/**
 * Runs a catalog on this host with the real system seams, then its checks, and keeps the report in the state
 * directory.
 */
public final class LocalRun {

    private final Path stateDirectory;
    private final Map<String, Object> facts;

    /** A run in {@code stateDirectory} on this host, whose {@code facts} choose the providers. */
    public LocalRun(Path stateDirectory, Map<String, Object> facts) {
        this.stateDirectory = stateDirectory;
        this.facts = facts;
    }

    /** Plans, applies or checks the catalog, and runs its checks after an apply or a check. */
    public RunReport run(Engine.Prepared catalog, Mode mode) throws IOException {
        return run(catalog, mode, true);
    }

    /**
     * Plans, applies or checks the catalog; then, unless {@code checks} is false or this is a plan, runs the
     * catalog's checks on the converged (or, for a check, the current) host.
     */
    public RunReport run(Engine.Prepared catalog, Mode mode, boolean runChecks) throws IOException {
        CommandRunner commands = new ProcessCommandRunner();
        Providers providers = new Providers(commands, facts);
        Context context = new Context(commands, new BackupStore(stateDirectory.resolve("backups")), providers, Set.of());
        RunReport report = new Engine(context, Engine.defaultParallelism(), Clock.systemUTC()).run(catalog, mode);
        if (runChecks && mode != Mode.PLAN && !catalog.checks().isEmpty()) {
            report = report.withChecks(new CheckRunner(new CheckContext(commands, providers, Clock.systemUTC()))
                    .run(catalog.checks()));
        }
        new ReportStore(stateDirectory).save(report);
        return report;
    }
}

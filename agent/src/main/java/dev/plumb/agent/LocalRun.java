package dev.plumb.agent;

import dev.plumb.api.CheckContext;
import dev.plumb.api.Context;
import dev.plumb.api.Services;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.RunReport;
import dev.plumb.checks.CheckRunner;
import dev.plumb.engine.Engine;
import dev.plumb.engine.PendingRefreshes;
import dev.plumb.providers.Providers;
import dev.plumb.report.ReportStore;
import dev.plumb.system.BackupStore;
import dev.plumb.system.ProcessCommandRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Runs catalogs on this host with the real system seams, then their checks, and keeps the reports and the pending
 * refreshes in the state directory. An apply holds the host's run lock from {@link #open} to {@link #close}.
 */
public final class LocalRun implements AutoCloseable {

    /** How long an apply waits for another one on this host to end, unless told otherwise. */
    public static final Duration DEFAULT_LOCK_WAIT = Duration.ofSeconds(10);

    private final Path stateDirectory;
    private final Mode mode;
    private final RunLock lock;
    private final PendingRefreshStore pendingRefreshes;
    private final ProcessCommandRunner commands = new ProcessCommandRunner();
    private final Services services;
    private final Engine engine;
    private volatile boolean interrupted;

    private LocalRun(Path stateDirectory, Map<String, Object> facts, Mode mode, RunLock lock,
                     PendingRefreshStore pendingRefreshes) {
        this.stateDirectory = stateDirectory;
        this.mode = mode;
        this.lock = lock;
        this.pendingRefreshes = pendingRefreshes;
        this.services = Services.of(new Providers(commands, facts));
        // One engine for every catalog this run converges, so that they share its thread pool.
        this.engine = new Engine(new Context(commands, new BackupStore(stateDirectory.resolve("backups")), services,
                Set.of()), BuiltInTypes.REGISTRY, Engine.defaultParallelism(), Clock.systemUTC());
    }

    /**
     * Gets ready to run in {@code mode} in {@code stateDirectory} on this host, whose {@code facts} choose the
     * providers: checks that the state directory is writable and, for an apply, takes the host's run lock, waiting up to
     * {@code lockWait} for another apply to end. Plans and checks change nothing on the host and take no lock.
     */
    public static LocalRun open(Path stateDirectory, Map<String, Object> facts, Mode mode, Duration lockWait)
            throws RunRefusedException {
        StateDirectory.prepare(stateDirectory);
        RunLock lock = mode.changesHost() ? RunLock.acquire(lockWait) : null;
        try {
            return new LocalRun(stateDirectory, facts, mode, lock, PendingRefreshStore.load(stateDirectory));
        } catch (RunRefusedException e) {
            closeQuietly(lock);
            throw e;
        }
    }

    /**
     * Plans, applies or checks the catalog, refreshing what earlier applies left pending; then, unless
     * {@code runChecks} is false, this is a plan or the run was interrupted, runs the catalog's checks on the
     * converged (or, for a check, the current) host.
     */
    public RunReport run(Engine.Prepared catalog, boolean runChecks) throws IOException {
        String host = catalog.catalog().host().name();
        PendingRefreshes pending = pendingRefreshes.of(host);
        RunReport report = engine.run(catalog, mode, pending, pendingRefreshes.journal(host));
        if (mode == Mode.APPLY) {
            pendingRefreshes.save(host, pending.after(catalog, report.resources()));
        }
        if (runChecks && !interrupted && mode != Mode.PLAN && !catalog.checks().isEmpty()) {
            report = report.withChecks(new CheckRunner(new CheckContext(commands, services, Clock.systemUTC()))
                    .run(catalog.checks()));
        }
        new ReportStore(stateDirectory).save(report);
        return report;
    }

    /**
     * Stops the run from another thread (a signal handler): no resource starts any more, running commands are
     * killed with everything they started, and {@link #run} returns the report of what was done.
     */
    public void interrupt() {
        interrupted = true;
        engine.interrupt();
        commands.interrupt();
    }

    /** Ends the engine's threads and releases the run lock, if this run holds it. */
    @Override
    public void close() {
        engine.close();
        closeQuietly(lock);
    }

    private static void closeQuietly(RunLock lock) {
        if (lock == null) {
            return;
        }
        try {
            lock.close();
        } catch (IOException e) {
            // Closing the channel releases the lock even when close reports an error; the process ends soon after.
        }
    }
}

package dev.plumb.agent;

import dev.plumb.api.CheckContext;
import dev.plumb.api.Context;
import dev.plumb.api.Services;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.RunReport;
import dev.plumb.checks.CheckRunner;
import dev.plumb.engine.Engine;
import dev.plumb.engine.HostLockException;
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
 * refreshes in the state directory. For an apply, the engine holds the host's run lock from {@link #open} to
 * {@link #close}, so that the pending refreshes are read and written under it; its runs hold it through this.
 */
public final class LocalRun implements AutoCloseable {

    /** How long an apply waits for another one on this host to end, unless told otherwise. */
    public static final Duration DEFAULT_LOCK_WAIT = Duration.ofSeconds(10);

    private final Path stateDirectory;
    private final Mode mode;
    private final ProcessCommandRunner commands;
    private final Services services;
    private final Engine engine;
    private PendingRefreshStore pendingRefreshes;
    /** Whether the engine holds the host's run lock for this apply, until {@link #close}. */
    private boolean holdsHost;
    /** Whether this local run was told to stop (a signal): the run in progress and every later one. */
    private volatile boolean interrupted;
    /** Whether the run in progress (or, between runs, the next) was cancelled; the run after it runs. */
    private volatile boolean cancelled;

    private LocalRun(Path stateDirectory, Mode mode, ProcessCommandRunner commands, Services services, Engine engine) {
        this.stateDirectory = stateDirectory;
        this.mode = mode;
        this.commands = commands;
        this.services = services;
        this.engine = engine;
    }

    /**
     * Gets ready to run in {@code mode} in {@code stateDirectory} on this host, whose {@code facts} choose the
     * providers: checks that the state directory is writable and, for an apply, takes the host's run lock, waiting up to
     * {@code lockWait} for another apply to end. Plans and checks change nothing on the host and take no lock.
     */
    public static LocalRun open(Path stateDirectory, Map<String, Object> facts, Mode mode, Duration lockWait)
            throws RunRefusedException {
        StateDirectory.prepare(stateDirectory);
        ProcessCommandRunner commands = new ProcessCommandRunner();
        Services services = Services.of(new Providers(commands, facts));
        // One engine for every catalog this run converges, so that they share its thread pool.
        Engine engine = new Engine(new Context(commands, new BackupStore(stateDirectory.resolve("backups")), services,
                Set.of()), BuiltInTypes.REGISTRY, Engine.defaultParallelism(), Clock.systemUTC(), RunLock.hostWide(lockWait));
        LocalRun run = new LocalRun(stateDirectory, mode, commands, services, engine);
        try {
            if (mode.changesHost()) {
                engine.holdHost();
                run.holdsHost = true;
            }
            run.pendingRefreshes = PendingRefreshStore.load(stateDirectory);
            return run;
        } catch (HostLockException e) {
            run.close();
            throw new RunRefusedException(e.getMessage());
        } catch (RunRefusedException e) {
            run.close();
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
        try {
            PendingRefreshes pending = pendingRefreshes.of(host);
            RunReport report = engine.run(catalog, mode, pending, pendingRefreshes.journal(host));
            if (mode == Mode.APPLY) {
                pendingRefreshes.save(host, pending.after(catalog, report.resources()));
            }
            if (runChecks && !interrupted && !cancelled && mode != Mode.PLAN && !catalog.checks().isEmpty()) {
                report = report.withChecks(new CheckRunner(new CheckContext(commands, services, Clock.systemUTC()))
                        .run(catalog.checks()));
            }
            new ReportStore(stateDirectory).save(report);
            return report;
        } finally {
            // A cancel stops one run: the next (a resident agent's next repair) runs its commands again.
            if (cancelled && !interrupted) {
                cancelled = false;
                commands.resume();
            }
        }
    }

    /**
     * Stops this local run from another thread (a signal handler): no resource of the run in progress starts any more,
     * running commands are killed with everything they started, and {@link #run} returns the report of what was done;
     * later runs start no command and run no checks.
     */
    public void interrupt() {
        interrupted = true;
        stopRunInProgress();
    }

    /**
     * Stops the run in progress (or the one about to start) as {@link #interrupt} does, from another thread; the run
     * after it runs as usual, as a resident agent's next repair must.
     */
    public void cancel() {
        cancelled = true;
        stopRunInProgress();
    }

    private void stopRunInProgress() {
        engine.interrupt();
        commands.interrupt();
    }

    /** Ends the engine's threads and releases the run lock, if this run holds it. */
    @Override
    public void close() {
        if (holdsHost) {
            engine.releaseHost();
        }
        engine.close();
    }
}

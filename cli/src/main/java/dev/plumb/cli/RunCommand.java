package dev.plumb.cli;

import dev.plumb.agent.LocalRun;
import dev.plumb.agent.RunRefusedException;
import dev.plumb.agent.StateDirectory;
import dev.plumb.agent.StopOnSignal;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.RunReport;
import dev.plumb.compiler.CompileCache;
import dev.plumb.compiler.CompileException;
import dev.plumb.compiler.CompiledCatalog;
import dev.plumb.compiler.Compiler;
import dev.plumb.compiler.Project;
import dev.plumb.report.Format;
import dev.plumb.report.ReportOutput;
import dev.plumb.system.FileErrors;
import dev.plumb.transport.HostUnreachableException;
import dev.plumb.transport.RunOptions;
import dev.plumb.transport.SshOptions;
import dev.plumb.transport.Transport;
import dev.plumb.transport.Transports;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code plan}, {@code apply} and {@code check}: compile every selected host first (bad input stops
 * everything before any host is touched), then run each host, and after an apply or a check its checks; one
 * failing host never stops the others.
 */
abstract class RunCommand implements Callable<Integer> {

    /**
     * How long Ctrl-C waits for the hosts to stop: longer than a host's agent takes to stop in order and send its
     * report (its own stop takes up to 30 s, and plumb waits 35 s for it).
     */
    private static final Duration HOSTS_STOP_WAIT = Duration.ofSeconds(50);

    final CommandSpec spec;

    private final ProjectOptions options;

    private final HostsOptions hosts;

    private final OptionSpec formatOption = CommandSpecs.option("--format", Format.class, "FORMAT", "text (default) or json; "
            + "apply and check also junit or tap (checks as tests, for CI); check also nagios (a status line and a "
            + "plugin's exit code)").defaultValue("text").build();

    private final SshCommandOptions ssh;

    private final ServerReportOptions reportTo;

    private final OptionSpec stateDirectoryOption = CommandSpecs.pathOption("--state-dir", "DIR", "where reports and "
            + "backups go (default: /var/lib/plumb as root, else ~/.local/state/plumb)").build();

    RunCommand(String name, String description) {
        spec = CommandSpecs.command(this, name, description);
        options = new ProjectOptions(spec);
        hosts = new HostsOptions(spec);
        spec.addOption(formatOption);
        ssh = new SshCommandOptions(spec);
        reportTo = new ServerReportOptions(spec);
        spec.addOption(stateDirectoryOption);
    }

    abstract Mode mode();

    private Format format() {
        return formatOption.getValue();
    }

    /** {@code --state-dir}, or null for the default one. */
    private Path stateDirectory() {
        return stateDirectoryOption.getValue();
    }

    /** Whether the host's checks run after the resources; apply and check run them unless --no-checks. */
    boolean runsChecks() {
        return false;
    }

    /** How long to wait for another apply on this host to end; only an apply takes the run lock. */
    Duration lockWait() {
        return Duration.ZERO;
    }

    @Override
    public Integer call() throws IOException {
        if (!Format.acceptedBy(mode()).contains(format())) {
            spec.commandLine().getErr().println("plumb: " + format().unavailableFor(mode()));
            return ExitCodes.INVALID;
        }
        Compiler compiler = null;
        CompileCache.Selection selection;
        HostPool pool;
        SshOptions sshOptions;
        CompileCache cache;
        ReportPoster poster;
        try {
            cache = CompileCache.of(StateDirectory.resolve(stateDirectory()), options.project(), options.commandLineVars(),
                    hosts.pattern());
            Optional<CompileCache.Selection> kept = cache.selection();
            if (kept.isPresent()) {
                selection = kept.get();
            } else {
                compiler = options.compiler();
                selection = new CompileCache.Selection(hosts.select(compiler.project()), compiler.project().facts().request());
            }
            pool = hosts.pool();
            sshOptions = ssh.sshOptions(options.project());
            poster = reportTo.poster(stateDirectory());
        } catch (CompileException e) {
            return reportProblems(e);
        } catch (UsageException | RunRefusedException e) {
            return invalid(e.getMessage());
        }
        List<Project.Host> selected = selection.hosts();
        try (Transports transports = new Transports(sshOptions, selection.facts())) {
            Reached reached = Reached.gather(transports, pool, selected);
            Map<String, CompiledCatalog> catalogs = cache.catalogs(reached.facts()).orElse(null);
            if (catalogs == null) {
                try {
                    if (compiler == null) {
                        compiler = options.compiler();
                    }
                    catalogs = compiler.compileAll(selected.stream().map(Project.Host::name).filter(reached.facts()::containsKey)
                            .toList(), options.commandLineVars(), reached.facts()::get);
                } catch (CompileException e) {
                    return reportProblems(e);
                }
            }
            RunOptions runOptions = new RunOptions(mode(), runsChecks(), stateDirectory(), lockWait());
            try {
                beginOnThisMachine(transports, selected, runOptions);
            } catch (RunRefusedException e) {
                return invalid(e.getMessage());
            }
            cache.store(selection, reached.facts(), catalogs);
            HostRuns runs = new HostRuns(transports, catalogs, reached.unreachable(), reached.factsNanos(), selected, runOptions,
                    poster);
            return StopOnSignal.around(() -> {
                pool.stop();
                transports.interrupt();
            }, HOSTS_STOP_WAIT, () -> runs.runAll(pool));
        }
    }

    /**
     * What the first half of a command found: each host's facts, fetched by its transport, or why it could not be
     * reached, and how long that took.
     */
    private record Reached(Map<String, Map<String, Object>> facts, Map<String, String> unreachable,
                           Map<String, Long> factsNanos) {

        /** Reaches every host, at most {@code pool}'s number at once. */
        static Reached gather(Transports transports, HostPool pool, List<Project.Host> hosts) {
            Reached reached = new Reached(new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
            pool.forEach(hosts, new HostPool.Task() {
                @Override
                public void run(Project.Host host) {
                    long start = System.nanoTime();
                    try {
                        reached.facts().put(host.name(), transports.forHost(host).facts());
                    } catch (HostUnreachableException e) {
                        reached.unreachable().put(host.name(), e.getMessage());
                    }
                    reached.factsNanos().put(host.name(), System.nanoTime() - start);
                }

                @Override
                public void notStarted(Project.Host host) {
                    throw new IllegalStateException("facts of " + host.name() + " not gathered, yet nothing stopped the pool");
                }
            });
            return reached;
        }
    }

    /**
     * Takes this machine's run lock and checks its state directory, once for every host that is this machine: a
     * refusal here is the command's, as bad input is, before anything runs. A host at an address is begun in its
     * own turn, and a refusal there is that host's alone.
     */
    private static void beginOnThisMachine(Transports transports, List<Project.Host> selected, RunOptions runOptions)
            throws RunRefusedException {
        for (Project.Host host : selected) {
            if (host.local()) {
                try {
                    transports.forHost(host).begin(runOptions);
                } catch (HostUnreachableException impossible) {
                    throw new IllegalStateException("this machine is always reachable", impossible);
                }
            }
        }
    }

    /** Reports the problems that stop the project from compiling; for Nagios, UNKNOWN naming the first. */
    private int reportProblems(CompileException e) {
        PrintWriter err = spec.commandLine().getErr();
        if (format() == Format.nagios) {
            ProjectOptions.reportProblems(e, err);
            return invalid(e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems")
                    + " in the project, first " + e.problems().get(0));
        }
        return ProjectOptions.reportProblems(e, err);
    }

    /**
     * The second half of a command, once every host's catalog compiled: each host runs through its transport, at
     * most {@code --parallel} at a time, and its report is printed as it ends; a host that could not be reached, or
     * refused the run, reports why. One host's failure never stops another.
     */
    private final class HostRuns {

        private final Transports transports;
        private final Map<String, CompiledCatalog> catalogs;
        private final Map<String, String> unreachable;
        private final Map<String, Long> factsNanos;
        private final List<Project.Host> selected;
        private final RunOptions runOptions;
        /** Where reports also go ({@code --server}), or null. */
        private final ReportPoster poster;
        private final ReportOutput output;
        private final Progress progress;

        HostRuns(Transports transports, Map<String, CompiledCatalog> catalogs, Map<String, String> unreachable,
                 Map<String, Long> factsNanos, List<Project.Host> selected, RunOptions runOptions, ReportPoster poster) {
            this.transports = transports;
            this.catalogs = catalogs;
            this.unreachable = unreachable;
            this.factsNanos = factsNanos;
            this.selected = selected;
            this.runOptions = runOptions;
            this.poster = poster;
            List<String> names = selected.stream().map(Project.Host::name).toList();
            this.output = new ReportOutput(format(), options.color(), names, spec.commandLine().getOut());
            this.progress = Progress.of(spec.commandLine().getErr(), mode().name().toLowerCase(), names.size());
        }

        /** Runs every host and returns the combined exit code. */
        int runAll(HostPool pool) {
            pool.forEach(selected, new HostPool.Task() {
                @Override
                public void run(Project.Host host) {
                    long start = System.nanoTime();
                    progress.started(host.name());
                    RunReport report = unreachable.containsKey(host.name()) ? notRun(host, unreachable.get(host.name()))
                            : runOn(host);
                    transports.done(host);
                    ended(host, report, System.nanoTime() - start);
                }

                @Override
                public void notStarted(Project.Host host) {
                    ended(host, notRun(host, "not started: plumb was interrupted before this host's turn"), 0);
                }
            });
            progress.end();
            return output.finish();
        }

        private RunReport runOn(Project.Host host) {
            Transport transport = transports.forHost(host);
            try {
                transport.begin(runOptions);
                return transport.run(catalogs.get(host.name()));
            } catch (HostUnreachableException | RunRefusedException e) {
                return notRun(host, e.getMessage());
            } catch (IOException e) {
                return notRun(host, FileErrors.describe(e));
            }
        }

        private RunReport notRun(Project.Host host, String reason) {
            return RunReport.unreachable(RunReport.newRunId(), host.name(), mode(),
                    Clock.systemUTC().instant().toString(), reason);
        }

        /** {@code host} ended with {@code report}; the time it took is its facts' and its run's, not its wait for a turn. */
        private void ended(Project.Host host, RunReport report, long runNanos) {
            Duration took = Duration.ofNanos(factsNanos.getOrDefault(host.name(), 0L) + runNanos);
            if (poster != null) {
                poster.post(report, spec.commandLine().getErr());
            }
            progress.finished(host.name(), report, took, () -> output.add(report, took));
        }
    }

    /** A usage or input error: exit 1 with the reason on stderr; for Nagios, UNKNOWN with the reason as its status. */
    private int invalid(String reason) {
        spec.commandLine().getErr().println("plumb: " + reason);
        return ReportOutput.refuse(format(), reason, spec.commandLine().getOut());
    }

    /** Whether command-line arguments ask for Nagios output, so that even a usage error answers as a plugin. */
    static boolean asksForNagios(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--format=nagios") || args[i].equals("--format") && i + 1 < args.length
                    && args[i + 1].equals("nagios")) {
                return true;
            }
        }
        return false;
    }

    /** apply and check: they run the host's checks after the resources, unless told not to. */
    abstract static class WithChecks extends RunCommand {

        private final OptionSpec noChecksOption = CommandSpecs.flag("--no-checks",
                "skip the checks: apply only converges, check only looks for drift");

        WithChecks(String name, String description) {
            super(name, description);
            spec.addOption(noChecksOption);
        }

        @Override
        boolean runsChecks() {
            boolean noChecks = noChecksOption.getValue();
            return !noChecks;
        }
    }

    static final class Plan extends RunCommand {

        Plan() {
            super("plan", "Show what apply would change, with diffs; changes nothing.%n"
                    + "Exit: 0 nothing to change, 2 changes pending, 4 failures, 6 both, 1 invalid input.");
        }

        @Override
        Mode mode() {
            return Mode.PLAN;
        }
    }

    static final class Apply extends WithChecks {

        private final OptionSpec lockTimeoutOption = CommandSpecs.option("--lock-timeout", int.class, "SECONDS",
                "how long to wait for another apply on this host to end before giving up (default: ${DEFAULT-VALUE})")
                .defaultValue(String.valueOf(LocalRun.DEFAULT_LOCK_WAIT.toSeconds())).build();

        Apply() {
            super("apply", "Converge the hosts to the project; refresh notified resources; run the checks; report.%n"
                    + "Exit: 0 nothing changed, 2 changes applied, 4 failures or failing checks, 6 both, 1 invalid input.");
            spec.addOption(lockTimeoutOption);
        }

        @Override
        Duration lockWait() {
            int seconds = lockTimeoutOption.getValue();
            return Duration.ofSeconds(seconds);
        }

        @Override
        Mode mode() {
            return Mode.APPLY;
        }
    }

    static final class Check extends WithChecks {

        Check() {
            super("check", "Report drift from the project and run the checks, read-only.%n"
                    + "Exit: 0 all good, 2 drift found, 4 failures or failing checks, 6 both, 1 invalid input.%n"
                    + "With --format nagios: 0 OK, 1 WARNING (drift), 2 CRITICAL (failing checks), 3 UNKNOWN.");
        }

        @Override
        Mode mode() {
            return Mode.CHECK;
        }
    }
}

package dev.plumb.cli;

import dev.plumb.agent.LocalRun;
import dev.plumb.agent.RunRefusedException;
import dev.plumb.agent.StopOnSignal;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.RunReport;
import dev.plumb.compiler.CompileException;
import dev.plumb.compiler.CompiledCatalog;
import dev.plumb.compiler.Compiler;
import dev.plumb.compiler.Project;
import dev.plumb.transport.HostUnreachableException;
import dev.plumb.transport.RunOptions;
import dev.plumb.transport.Transports;
import dev.plumb.report.Format;
import dev.plumb.report.ReportOutput;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code plan}, {@code apply} and {@code check}: compile every selected host first (bad input stops
 * everything before any host is touched), then run each host, and after an apply or a check its checks; one
 * failing host never stops the others.
 */
abstract class RunCommand implements Callable<Integer> {

    @Mixin
    ProjectOptions options;

    @Option(names = "--hosts", paramLabel = "PATTERN", description = "host or group names, globs allowed, comma separated (default: all)")
    String hosts;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text (default) or json; apply and check also "
            + "junit or tap (checks as tests, for CI); check also nagios (a status line and a plugin's exit code)")
    Format format = Format.text;

    @Option(names = "--state-dir", paramLabel = "DIR", converter = ProjectOptions.NonEmptyPath.class, description = "where reports and backups go (default: /var/lib/plumb as root, else ~/.local/state/plumb)")
    Path stateDirectory;

    @Spec
    CommandSpec spec;

    abstract Mode mode();

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
        if (!Format.acceptedBy(mode()).contains(format)) {
            spec.commandLine().getErr().println("plumb: " + format.unavailableFor(mode()));
            return ExitCodes.INVALID;
        }
        try (Transports transports = new Transports()) {
            List<Project.Host> selected;
            Map<String, String> unreachable = new HashMap<>();
            Map<String, CompiledCatalog> catalogs;
            try {
                Compiler compiler = options.compiler();
                selected = HostSelection.select(compiler.project(), hosts);
                // Each host's catalog is compiled from its own facts, which its transport fetches.
                Map<String, Map<String, Object>> facts = new LinkedHashMap<>();
                for (Project.Host host : selected) {
                    try {
                        facts.put(host.name(), transports.forHost(host).facts());
                    } catch (HostUnreachableException e) {
                        unreachable.put(host.name(), e.getMessage());
                    }
                }
                catalogs = compiler.compileAll(List.copyOf(facts.keySet()), options.commandLineVars(), facts::get);
            } catch (CompileException e) {
                return reportProblems(e);
            } catch (UsageException e) {
                return invalid(e.getMessage());
            }
            RunOptions runOptions = new RunOptions(mode(), runsChecks(), stateDirectory, lockWait());
            for (Project.Host host : selected) {
                if (catalogs.containsKey(host.name())) {
                    transports.forHost(host).begin(runOptions);
                }
            }
            return StopOnSignal.around(transports::interrupt, () -> runAll(transports, selected, catalogs, unreachable));
        } catch (HostUnreachableException | RunRefusedException e) {
            return invalid(e.getMessage());
        }
    }

    /** Reports the problems that stop the project from compiling; for Nagios, UNKNOWN naming the first. */
    private int reportProblems(CompileException e) {
        PrintWriter err = spec.commandLine().getErr();
        if (format == Format.nagios) {
            ProjectOptions.reportProblems(e, err);
            return invalid(e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems")
                    + " in the project, first " + e.problems().get(0));
        }
        return ProjectOptions.reportProblems(e, err);
    }

    /**
     * Runs every selected host through its transport and prints the reports; a host that could not be reached
     * reports why. Returns the combined exit code.
     */
    private int runAll(Transports transports, List<Project.Host> selected, Map<String, CompiledCatalog> catalogs,
                       Map<String, String> unreachable) throws IOException {
        ReportOutput output = new ReportOutput(format, options.color(), selected.size() > 1, spec.commandLine().getOut());
        for (Project.Host host : selected) {
            output.add(unreachable.containsKey(host.name())
                    ? RunReport.unreachable(UUID.randomUUID().toString(), host.name(), mode(),
                            Clock.systemUTC().instant().toString(), unreachable.get(host.name()))
                    : transports.forHost(host).run(catalogs.get(host.name())));
        }
        return output.finish();
    }

    /** A usage or input error: exit 1 with the reason on stderr; for Nagios, UNKNOWN with the reason as its status. */
    private int invalid(String reason) {
        spec.commandLine().getErr().println("plumb: " + reason);
        return ReportOutput.refuse(format, reason, spec.commandLine().getOut());
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

        @Option(names = "--no-checks", description = "skip the checks: apply only converges, check only looks for drift")
        boolean noChecks;

        @Override
        boolean runsChecks() {
            return !noChecks;
        }
    }

    @Command(name = "plan", description = "Show what apply would change, with diffs; changes nothing.%n"
            + "Exit: 0 nothing to change, 2 changes pending, 4 failures, 6 both, 1 invalid input.")
    static final class Plan extends RunCommand {
        @Override
        Mode mode() {
            return Mode.PLAN;
        }
    }

    @Command(name = "apply", description = "Converge the hosts to the project; refresh notified resources; run the "
            + "checks; report.%nExit: 0 nothing changed, 2 changes applied, 4 failures or failing checks, 6 both, "
            + "1 invalid input.")
    static final class Apply extends WithChecks {

        @Option(names = "--lock-timeout", paramLabel = "SECONDS", description = "how long to wait for another apply "
                + "on this host to end before giving up (default: ${DEFAULT-VALUE})")
        int lockTimeoutSeconds = (int) LocalRun.DEFAULT_LOCK_WAIT.toSeconds();

        @Override
        Duration lockWait() {
            return Duration.ofSeconds(lockTimeoutSeconds);
        }

        @Override
        Mode mode() {
            return Mode.APPLY;
        }
    }

    @Command(name = "check", description = "Report drift from the project and run the checks, read-only.%n"
            + "Exit: 0 all good, 2 drift found, 4 failures or failing checks, 6 both, 1 invalid input.%n"
            + "With --format nagios: 0 OK, 1 WARNING (drift), 2 CRITICAL (failing checks), 3 UNKNOWN.")
    static final class Check extends WithChecks {

        @Override
        Mode mode() {
            return Mode.CHECK;
        }
    }
}

package dev.plumb.cli;

import dev.plumb.agent.LocalRun;
import dev.plumb.agent.StateDirectory;
import dev.plumb.catalog.Json;
import dev.plumb.compiler.CompileException;
import dev.plumb.compiler.Compiler;
import dev.plumb.compiler.Project;
import dev.plumb.engine.Engine;
import dev.plumb.engine.Mode;
import dev.plumb.engine.RunReport;
import dev.plumb.facts.Facts;
import dev.plumb.report.TextRenderer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
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
 * everything before any host is touched), then run each host; one failing host never stops the others.
 */
abstract class RunCommand implements Callable<Integer> {

    @Mixin
    ProjectOptions options;

    @Option(names = "--hosts", paramLabel = "PATTERN", description = "host or group names, globs allowed, comma separated (default: all)")
    String hosts;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text (default) or json")
    Format format = Format.text;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "where reports and backups go (default: /var/lib/plumb as root, else ~/.local/state/plumb)")
    Path stateDirectory;

    @Spec
    CommandSpec spec;

    enum Format { text, json }

    abstract Mode mode();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, Engine.Prepared> catalogs;
        List<Project.Host> selected;
        Map<String, Object> facts = Facts.ofThisHost();
        try {
            Compiler compiler = options.compiler();
            selected = HostSelection.select(compiler.project(), hosts);
            List<String> local = selected.stream().filter(Project.Host::local).map(Project.Host::name).toList();
            catalogs = compiler.compileAll(local, options.commandLineVars(), facts);
        } catch (CompileException e) {
            return ProjectOptions.reportProblems(e, err);
        } catch (IllegalArgumentException e) {
            err.println("plumb: " + e.getMessage());
            return ExitCodes.INVALID;
        }
        LocalRun localRun = new LocalRun(StateDirectory.resolve(stateDirectory), facts);
        TextRenderer renderer = new TextRenderer(options.color());
        List<RunReport> reports = new ArrayList<>();
        int exitCode = ExitCodes.OK;
        for (Project.Host host : selected) {
            RunReport report = run(localRun, host, catalogs.get(host.name()));
            reports.add(report);
            exitCode = ExitCodes.combine(exitCode, report.exitCode());
            if (format == Format.text) {
                if (selected.size() > 1) {
                    out.println("== " + host.name() + " ==");
                }
                out.print(renderer.render(report));
                out.flush();
            }
        }
        if (format == Format.json) {
            out.println(Json.MAPPER.writeValueAsString(reports));
        }
        return exitCode;
    }

    private RunReport run(LocalRun localRun, Project.Host host, Engine.Prepared catalog) throws IOException {
        if (!host.local()) {
            return RunReport.unreachable(UUID.randomUUID().toString(), host.name(), mode(), Clock.systemUTC().instant().toString(),
                    "not reachable: SSH transport is not available yet (address " + host.address() + ")");
        }
        return localRun.run(catalog, mode());
    }

    @Command(name = "plan", description = "Show what apply would change, with diffs; changes nothing.%n"
            + "Exit: 0 nothing to change, 2 changes pending, 4 failures, 6 both, 1 invalid input.")
    static final class Plan extends RunCommand {
        @Override
        Mode mode() {
            return Mode.PLAN;
        }
    }

    @Command(name = "apply", description = "Converge the hosts to the project; refresh notified resources; report.%n"
            + "Exit: 0 nothing changed, 2 changes applied, 4 failures, 6 both, 1 invalid input.")
    static final class Apply extends RunCommand {
        @Override
        Mode mode() {
            return Mode.APPLY;
        }
    }

    @Command(name = "check", description = "Report drift from the project, read-only.%n"
            + "Exit: 0 in sync, 2 drift found, 4 failures, 6 both, 1 invalid input.")
    static final class Check extends RunCommand {
        @Override
        Mode mode() {
            return Mode.CHECK;
        }
    }
}

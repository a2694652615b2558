package dev.plumb.cli;

import dev.plumb.compiler.CompileException;
import dev.plumb.compiler.Compiler;
import dev.plumb.compiler.Project;
import dev.plumb.facts.Facts;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code plumb validate}: parse, type-check and compile every host; touches no host. */
final class ValidateCommand implements Callable<Integer> {

    final CommandSpec spec = CommandSpecs.command(this, "validate", "Parse and check every file and compile every host; "
            + "touches no host.%nHosts reached over SSH are compiled with this machine's facts (the project's own facts "
            + "run here).%nExit: 0 valid, 1 problems found.");

    private final ProjectOptions options = new ProjectOptions(spec);

    @Override
    public Integer call() {
        try {
            Compiler compiler = options.compiler();
            Project project = compiler.project();
            Map<String, Object> facts = Facts.ofThisHost(project.facts().request());
            // Said once, of this machine, where the project's own facts ran, rather than once for every host.
            project.facts().check("this machine", facts);
            var catalogs = compiler.compileAll(List.copyOf(project.hosts().keySet()), options.commandLineVars(),
                    host -> facts).values();
            int resources = catalogs.stream().mapToInt(c -> c.catalog().resources().size()).sum();
            int checks = catalogs.stream().mapToInt(c -> c.catalog().checks().size()).sum();
            spec.commandLine().getOut().printf("%s: valid (%s, %s, %s%s)%n", project.name(),
                    count(project.hosts().size(), "host"), count(project.roles().size(), "role"), count(resources, "resource"),
                    checks == 0 ? "" : ", " + count(checks, "check"));
            return ExitCodes.OK;
        } catch (CompileException e) {
            return ProjectOptions.reportProblems(e, spec.commandLine().getErr());
        }
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}

package dev.plumb.cli;

import dev.plumb.compiler.CompileException;
import dev.plumb.compiler.Compiler;
import dev.plumb.compiler.Project;
import dev.plumb.facts.Facts;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code plumb validate}: parse, type-check and compile every host; touches no host. */
@Command(name = "validate", description = "Parse and check every file and compile every host; touches no host.%n"
        + "Hosts reached over SSH are compiled with this machine's facts (the project's own facts run here).%n"
        + "Exit: 0 valid, 1 problems found.")
final class ValidateCommand implements Callable<Integer> {

    @Mixin
    ProjectOptions options;

    @Spec
    CommandSpec spec;

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

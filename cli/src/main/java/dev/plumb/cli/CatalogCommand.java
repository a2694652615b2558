package dev.plumb.cli;

import dev.plumb.catalog.Json;
import dev.plumb.compiler.CompileException;
import dev.plumb.compiler.Compiler;
import dev.plumb.facts.Facts;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code plumb catalog HOST}: the compiled catalog, as the host's agent receives it. */
@Command(name = "catalog", description = "Print the compiled catalog of a host as JSON, secrets masked, compiled from "
        + "this machine's facts (the project's own facts run here).%nExit: 0 printed, 1 invalid input.")
final class CatalogCommand implements Callable<Integer> {

    @Mixin
    ProjectOptions options;

    @Parameters(paramLabel = "HOST", description = "the host whose catalog to print")
    String host;

    @Option(names = "--show-sensitive", description = "print the content of sensitive files and password hashes "
            + "(hidden by default)")
    boolean showSensitive;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try {
            Compiler compiler = options.compiler();
            Map<String, Object> facts = Facts.ofThisHost(compiler.project().facts().request());
            compiler.project().facts().check("this machine", facts);
            var catalog = compiler.compile(host, options.commandLineVars(), facts).catalog();
            spec.commandLine().getOut().println(Json.MAPPER.writeValueAsString(showSensitive ? catalog
                    : SensitiveValues.masked(catalog)));
            return ExitCodes.OK;
        } catch (CompileException e) {
            return ProjectOptions.reportProblems(e, spec.commandLine().getErr());
        }
    }
}

package dev.plumb.cli;

import dev.plumb.catalog.Json;
import dev.plumb.compiler.CompileException;
import dev.plumb.compiler.Compiler;
import dev.plumb.facts.Facts;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** {@code plumb catalog HOST}: the compiled catalog, as the host's agent receives it. */
final class CatalogCommand implements Callable<Integer> {

    final CommandSpec spec = CommandSpecs.command(this, "catalog", "Print the compiled catalog of a host as JSON, "
            + "secrets masked, compiled from this machine's facts (the project's own facts run here).%n"
            + "Exit: 0 printed, 1 invalid input.");

    private final ProjectOptions options = new ProjectOptions(spec);

    private final PositionalParamSpec hostParameter = CommandSpecs.parameter("HOST", String.class, "1",
            "the host whose catalog to print").build();

    private final OptionSpec showSensitiveOption = CommandSpecs.flag("--show-sensitive",
            "print the content of sensitive files and password hashes (hidden by default)");

    CatalogCommand() {
        spec.addPositional(hostParameter).addOption(showSensitiveOption);
    }

    @Override
    public Integer call() {
        try {
            Compiler compiler = options.compiler();
            Map<String, Object> facts = Facts.ofThisHost(compiler.project().facts().request());
            compiler.project().facts().check("this machine", facts);
            var catalog = compiler.compile(hostParameter.getValue(), options.commandLineVars(), facts).catalog();
            boolean showSensitive = showSensitiveOption.getValue();
            spec.commandLine().getOut().println(Json.MAPPER.writeValueAsString(showSensitive ? catalog
                    : SensitiveValues.masked(catalog)));
            return ExitCodes.OK;
        } catch (CompileException e) {
            return ProjectOptions.reportProblems(e, spec.commandLine().getErr());
        }
    }
}

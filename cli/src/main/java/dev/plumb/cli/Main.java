package dev.plumb.cli;

import dev.plumb.report.NagiosRenderer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code plumb} command. */
@Command(name = "plumb", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "plumb 0.1.0",
        description = "Keeps servers true to what is in git: validate, plan, apply and check a project.",
        subcommands = {ValidateCommand.class, RunCommand.Plan.class, RunCommand.Apply.class, RunCommand.Check.class,
                CatalogCommand.class, FactsCommand.class, SchemaCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs plumb with {@code args} on the process's own output streams and returns the exit code. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println("plumb: " + e.getMessage());
            e.getCommandLine().getErr().println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            if (RunCommand.asksForNagios(args)) {
                NagiosRenderer.Result unknown = NagiosRenderer.unknown(e.getMessage());
                e.getCommandLine().getOut().print(unknown.output());
                e.getCommandLine().getOut().flush();
                return unknown.exitCode();
            }
            return ExitCodes.INVALID;
        });
        commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> {
            cl.getErr().println("plumb: " + e.getMessage());
            return ExitCodes.INVALID;
        });
        return commandLine;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: validate, plan, apply, check, catalog or facts");
    }
}

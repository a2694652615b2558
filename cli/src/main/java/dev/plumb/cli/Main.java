package dev.plumb.cli;

import dev.plumb.report.Format;
import dev.plumb.report.ReportOutput;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code plumb} command. */
@Command(name = "plumb", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "plumb 0.1.0",
        description = "Keeps servers true to what is in git: validate, plan, apply and check a project.",
        subcommands = {ValidateCommand.class, RunCommand.Plan.class, RunCommand.Apply.class, RunCommand.Check.class,
                CatalogCommand.class, FactsCommand.class, BootstrapCommand.class, SchemaCommand.class, CommandLine.HelpCommand.class})
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
            // picocli's "Did you mean: apply --format?" for a misspelt option or command.
            CommandLine.UnmatchedArgumentException.printSuggestions(e, e.getCommandLine().getErr());
            e.getCommandLine().getErr().println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return ReportOutput.refuse(RunCommand.asksForNagios(args) ? Format.nagios : Format.text, e.getMessage(),
                    e.getCommandLine().getOut());
        });
        commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> reportFailure(e, cl.getErr()));
        return commandLine;
    }

    /**
     * What a command that threw gets: an I/O error (a report that cannot be written) is the host's, exit 1 with its
     * message; anything else is a bug in plumb, never passed off as bad input, with its trace for the report.
     */
    static int reportFailure(Exception e, PrintWriter err) {
        if (e instanceof IOException) {
            err.println("plumb: " + e.getMessage());
            return ExitCodes.INVALID;
        }
        err.println("plumb: unexpected " + e + " (this is a bug in plumb; please report it with this trace)");
        e.printStackTrace(err);
        return ExitCodes.BUG;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: validate, plan, apply, check, catalog, facts, bootstrap or schema");
    }
}

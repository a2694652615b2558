package dev.plumb.cli;

import dev.plumb.report.Format;
import dev.plumb.report.ReportOutput;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code plumb} command. */
@Command(name = "plumb", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "plumb 0.1.0",
        description = "Keeps servers true to what is in git: validate, plan, apply and check a project.")
public final class Main implements Runnable {

    /**
     * The commands, in the order help lists them. picocli reads a command's annotations by reflection when it is
     * added, which is a good part of plumb's start-up, so a run adds only the command it runs (see
     * {@link #commandLine}).
     */
    private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("validate", ValidateCommand::new);
        COMMANDS.put("plan", RunCommand.Plan::new);
        COMMANDS.put("apply", RunCommand.Apply::new);
        COMMANDS.put("check", RunCommand.Check::new);
        COMMANDS.put("catalog", CatalogCommand::new);
        COMMANDS.put("facts", FactsCommand::new);
        COMMANDS.put("bootstrap", BootstrapCommand::new);
        COMMANDS.put("agent", AgentCommand::commandLine);
        COMMANDS.put("schema", SchemaCommand::new);
        COMMANDS.put("server", ServerCommand::new);
        COMMANDS.put("status", StatusCommand::new);
        COMMANDS.put("demo", DemoCommand::new);
        COMMANDS.put("help", CommandLine.HelpCommand::new);
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs plumb with {@code args} on the process's own output streams and returns the exit code. */
    public static int execute(String... args) {
        return commandLine(args).execute(args);
    }

    /**
     * plumb's command line for {@code args}: with only the command they start with when they start with one, none
     * for {@code --version} alone, else every command, which {@code --help}, a misspelt command (for its
     * did-you-mean) and {@code help COMMAND} need.
     */
    static CommandLine commandLine(String... args) {
        CommandLine commandLine = new CommandLine(new Main());
        String first = args.length > 0 ? args[0] : "";
        boolean named = COMMANDS.containsKey(first) && !first.equals("help");
        boolean versionOnly = args.length == 1 && (first.equals("--version") || first.equals("-V"));
        for (Map.Entry<String, Supplier<Object>> command : COMMANDS.entrySet()) {
            if (!versionOnly && (!named || command.getKey().equals(first))) {
                commandLine.addSubcommand(command.getKey(), command.getValue().get());
            }
        }
        commandLine.setParameterExceptionHandler((e, arguments) -> {
            e.getCommandLine().getErr().println("plumb: " + e.getMessage());
            // picocli's "Did you mean: apply --format?" for a misspelt option or command.
            CommandLine.UnmatchedArgumentException.printSuggestions(e, e.getCommandLine().getErr());
            e.getCommandLine().getErr().println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return ReportOutput.refuse(RunCommand.asksForNagios(arguments) ? Format.nagios : Format.text, e.getMessage(),
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
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: validate, plan, apply, check, catalog, facts, bootstrap, agent, schema, server, status or demo");
    }
}

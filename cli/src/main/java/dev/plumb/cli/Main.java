package dev.plumb.cli;

import dev.plumb.report.Format;
import dev.plumb.report.ReportOutput;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;

/** The {@code plumb} command. */
public final class Main implements Callable<Integer> {

    /**
     * The commands, in the order help lists them. Each is declared in code (see {@link CommandSpecs}), yet a run still
     * adds only the command it runs (see {@link #commandLine}); {@code help} is picocli's own, read from its annotations.
     */
    private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("validate", () -> new ValidateCommand().spec);
        COMMANDS.put("plan", () -> new RunCommand.Plan().spec);
        COMMANDS.put("apply", () -> new RunCommand.Apply().spec);
        COMMANDS.put("check", () -> new RunCommand.Check().spec);
        COMMANDS.put("catalog", () -> new CatalogCommand().spec);
        COMMANDS.put("facts", () -> new FactsCommand().spec);
        COMMANDS.put("bootstrap", () -> new BootstrapCommand().spec);
        COMMANDS.put("agent", () -> new AgentCommand().spec);
        COMMANDS.put("schema", () -> new SchemaCommand().spec);
        COMMANDS.put("server", () -> new ServerCommand().spec);
        COMMANDS.put("status", () -> new StatusCommand().spec);
        COMMANDS.put("demo", () -> new DemoCommand().spec);
        COMMANDS.put("help", CommandLine.HelpCommand::new);
    }

    /** The version, which every command inherits (as {@code plumb apply --version} shows). */
    private final CommandSpec spec = CommandSpecs.command(this, "plumb",
            "Keeps servers true to what is in git: validate, plan, apply and check a project.")
            .version("plumb 0.1.0").scopeType(ScopeType.INHERIT);

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
        CommandLine commandLine = new CommandLine(new Main().spec);
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
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: validate, plan, apply, check, catalog, facts, bootstrap, agent, schema, server, status or demo");
    }
}

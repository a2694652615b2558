package dev.plumb.cli;

import dev.plumb.agent.pull.PullCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code plumb agent enroll|run|install ...}: the agent that pulls this host's catalog from a plumb server, with
 * plumb-agent's own verbs and options, read by the same code ({@link PullCommands}).
 */
@Command(name = "agent", description = {
    "Enroll this host with a plumb server, run the agent that pulls and applies its catalog, or install that agent "
            + "as a service. The verbs and options are plumb-agent's:",
    PullCommands.USAGE,
    "Exit: 0 done (run --once: the run's 0, 2, 4 or 6), 1 refused or nothing applied."})
final class AgentCommand implements Callable<Integer> {

    @Parameters(paramLabel = "VERB", arity = "1..*", description = "enroll, run or install, then its options")
    List<String> arguments = new ArrayList<>();

    @Spec
    CommandSpec spec;

    /**
     * The command line of {@code plumb agent}: everything after the verb is the verb's, never picocli's, so that a
     * token that happens to start with {@code -h} stays a token.
     */
    static CommandLine commandLine() {
        return new CommandLine(new AgentCommand()).setStopAtPositional(true);
    }

    @Override
    public Integer call() {
        return PullCommands.run(arguments, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}

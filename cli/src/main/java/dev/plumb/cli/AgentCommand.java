package dev.plumb.cli;

import dev.plumb.agent.pull.PullCommands;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * {@code plumb agent enroll|run|install ...}: the agent that pulls this host's catalog from a plumb server, with
 * plumb-agent's own verbs and options, read by the same code ({@link PullCommands}).
 */
final class AgentCommand implements Callable<Integer> {

    final CommandSpec spec = CommandSpecs.command(this, "agent", "Enroll this host with a plumb server, run the agent "
            + "that pulls and applies its catalog, or install that agent as a service. The verbs and options are "
            + "plumb-agent's:", PullCommands.USAGE, "Exit: 0 done (run --once: the run's 0, 2, 4 or 6), 1 refused or "
            + "nothing applied.");

    private final PositionalParamSpec argumentsParameter = CommandSpecs.parameter("VERB", List.class, "1..*",
            "enroll, run or install, then its options").auxiliaryTypes(String.class).build();

    /**
     * Everything after the verb is the verb's, never picocli's, so that a token that happens to start with {@code -h}
     * stays a token.
     */
    AgentCommand() {
        spec.addPositional(argumentsParameter);
        spec.parser().stopAtPositional(true);
    }

    @Override
    public Integer call() {
        return PullCommands.run(argumentsParameter.getValue(), spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}

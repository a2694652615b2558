package dev.plumb.cli;

import dev.plumb.catalog.Json;
import dev.plumb.compiler.CompileException;
import dev.plumb.compiler.Project;
import dev.plumb.facts.FactRequest;
import dev.plumb.transport.HostUnreachableException;
import dev.plumb.transport.Transport;
import dev.plumb.transport.Transports;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** {@code plumb facts [HOST]}: what templates see as {@code facts}. */
final class FactsCommand implements Callable<Integer> {

    final CommandSpec spec = CommandSpecs.command(this, "facts", "Print the facts of this machine, or of a host of the "
            + "project with the project's own facts, as JSON: installed packages and /etc/plumb/facts.d included.%n"
            + "Exit: 0 printed, 1 invalid input or host not reachable.");

    private final ProjectOptions options = new ProjectOptions(spec);

    private final SshCommandOptions ssh = new SshCommandOptions(spec);

    private final PositionalParamSpec hostParameter = CommandSpecs.parameter("HOST", String.class, "0..1",
            "a host of the project (default: this machine)").build();

    FactsCommand() {
        spec.addPositional(hostParameter);
    }

    @Override
    public Integer call() {
        String host = hostParameter.getValue();
        try {
            if (host == null) {
                return print(Transports.thisMachine());
            }
            Project project = options.compiler().project();
            Project.Host known = project.hosts().get(host);
            if (known == null) {
                spec.commandLine().getErr().println("plumb: " + project.noSuchHost(host));
                return ExitCodes.INVALID;
            }
            // Shown with the installed packages, which a project that does not use them has no need to read.
            FactRequest request = new FactRequest(project.facts().request().commands(), true);
            try (Transports transports = new Transports(ssh.sshOptions(project.directory()), request)) {
                return print(transports.forHost(known));
            }
        } catch (CompileException e) {
            return ProjectOptions.reportProblems(e, spec.commandLine().getErr());
        } catch (UsageException e) {
            spec.commandLine().getErr().println("plumb: " + e.getMessage());
            return ExitCodes.INVALID;
        } catch (HostUnreachableException e) {
            spec.commandLine().getErr().println("plumb: " + host + ": " + e.getMessage());
            return ExitCodes.INVALID;
        }
    }

    private int print(Transport transport) throws HostUnreachableException {
        spec.commandLine().getOut().println(Json.MAPPER.writeValueAsString(transport.facts()));
        return ExitCodes.OK;
    }
}

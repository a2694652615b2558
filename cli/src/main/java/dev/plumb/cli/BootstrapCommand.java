package dev.plumb.cli;

import dev.plumb.api.Printable;
import dev.plumb.compiler.CompileException;
import dev.plumb.compiler.Project;
import dev.plumb.transport.HostUnreachableException;
import dev.plumb.transport.Transports;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Model.CommandSpec;

/** {@code plumb bootstrap}: makes hosts able to run plumb's agent, by installing Java where they have none. */
final class BootstrapCommand implements Callable<Integer> {

    final CommandSpec spec = CommandSpecs.command(this, "bootstrap", "Install Java (openjdk-17-jre-headless, with apt) "
            + "on the hosts that have none, so that plumb's agent can run there; as root, or through sudo -n for hosts "
            + "with become.%nExit: 0 every host ready, 4 some host failed, 1 invalid input.");

    private final ProjectOptions options = new ProjectOptions(spec);

    private final SshCommandOptions ssh = new SshCommandOptions(spec);

    private final HostsOptions hosts = new HostsOptions(spec);

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Project.Host> selected;
        HostPool pool;
        Transports transports;
        try {
            Project project = options.compiler().project();
            selected = hosts.select(project);
            pool = hosts.pool();
            transports = new Transports(ssh.sshOptions(project.directory()));
        } catch (CompileException e) {
            return ProjectOptions.reportProblems(e, err);
        } catch (UsageException e) {
            err.println("plumb: " + e.getMessage());
            return ExitCodes.INVALID;
        }
        AtomicBoolean failed = new AtomicBoolean();
        try (transports) {
            pool.forEach(selected, new HostPool.Task() {
                @Override
                public void run(Project.Host host) {
                    String line;
                    try {
                        line = transports.forHost(host).bootstrap();
                    } catch (HostUnreachableException e) {
                        failed.set(true);
                        line = "failed: " + e.getMessage();
                    }
                    synchronized (out) {
                        out.println(Printable.escape(host.name()) + ": " + Printable.escape(line));
                        out.flush();
                    }
                }

                @Override
                public void notStarted(Project.Host host) {
                    throw new IllegalStateException("bootstrap of " + host.name() + " not started, yet nothing stopped the pool");
                }
            });
        }
        return failed.get() ? ExitCodes.FAILURES : ExitCodes.OK;
    }
}

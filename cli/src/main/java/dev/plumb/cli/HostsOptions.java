package dev.plumb.cli;

import dev.plumb.compiler.Project;
import java.util.List;
import picocli.CommandLine.Option;

/** Which hosts a command runs on, and how many at once. */
final class HostsOptions {

    @Option(names = "--hosts", paramLabel = "PATTERN", description = "host or group names, globs allowed, comma separated (default: all)")
    String hosts;

    @Option(names = "--parallel", paramLabel = "N", description = "how many hosts run at once (default: ${DEFAULT-VALUE})")
    int parallel = 20;

    /** The selected hosts of {@code project}, in inventory order. */
    List<Project.Host> select(Project project) throws UsageException {
        return HostSelection.select(project, hosts);
    }

    /** A pool that runs {@code --parallel} hosts at once. */
    HostPool pool() throws UsageException {
        if (parallel < 1) {
            throw new UsageException("--parallel takes a number of hosts from 1, got " + parallel);
        }
        return new HostPool(parallel);
    }
}

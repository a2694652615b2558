package dev.plumb.cli;

import dev.plumb.compiler.Project;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Which hosts a command runs on, and how many at once. */
final class HostsOptions {

    private final OptionSpec hostsOption = CommandSpecs.option("--hosts", String.class, "PATTERN",
            "host or group names, globs allowed, comma separated (default: all)").build();

    private final OptionSpec parallelOption = CommandSpecs.option("--parallel", int.class, "N",
            "how many hosts run at once (default: ${DEFAULT-VALUE})").defaultValue("20").build();

    HostsOptions(CommandSpec command) {
        command.addOption(hostsOption).addOption(parallelOption);
    }

    /** The {@code --hosts} pattern, or null for every host. */
    String pattern() {
        return hostsOption.getValue();
    }

    /** The selected hosts of {@code project}, in inventory order. */
    List<Project.Host> select(Project project) throws UsageException {
        return HostSelection.select(project, pattern());
    }

    /** A pool that runs {@code --parallel} hosts at once. */
    HostPool pool() throws UsageException {
        int parallel = parallelOption.getValue();
        if (parallel < 1) {
            throw new UsageException("--parallel takes a number of hosts from 1, got " + parallel);
        }
        return new HostPool(parallel);
    }
}

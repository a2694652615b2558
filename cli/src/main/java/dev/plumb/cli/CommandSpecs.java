package dev.plumb.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * How plumb's commands declare themselves: in code, with picocli's model API, not with its annotations. Reading
 * annotations costs every run 45–50 ms before it starts its work (the JVM generates a proxy class for each annotation
 * type picocli reads, and picocli's reflection runs cold), a quarter of a no-op apply of a small project; the same
 * commands declared in code take 10 ms. A command reads its values from the options it declared, after parsing.
 */
final class CommandSpecs {

    private CommandSpecs() {
    }

    /**
     * The command {@code name}, which runs {@code command}; {@code description} is its help, a paragraph each
     * ({@code %n} ends a line). Every command takes {@code --help} and {@code --version}.
     */
    static CommandSpec command(Callable<Integer> command, String name, String... description) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(command).name(name);
        spec.usageMessage().description(description);
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help message and exit.")
                .build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("Print version information and exit.").build());
        return spec;
    }

    /** An option that takes a value of {@code type}, shown as {@code label} in help. */
    static OptionSpec.Builder option(String name, Class<?> type, String label, String description) {
        return OptionSpec.builder(name).type(type).paramLabel(label).description(description);
    }

    /** An option without a value: true when given, else false. */
    static OptionSpec flag(String name, String description) {
        return OptionSpec.builder(name).type(boolean.class).initialValue(false).description(description).build();
    }

    /** A positional parameter of {@code type}, shown as {@code label} in help; one, unless given another arity. */
    static PositionalParamSpec.Builder parameter(String label, Class<?> type, String description) {
        return PositionalParamSpec.builder().type(type).paramLabel(label).description(description);
    }
}

package dev.plumb.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Range;
import picocli.CommandLine.TypeConversionException;

/**
 * How plumb's commands declare themselves: in code, with picocli's model API, not with its annotations. Reading
 * annotations makes the JVM generate a proxy class for each annotation type and runs picocli's reflection cold:
 * building the command line of a no-op apply took 55 ms that way, and takes 14 ms declared in code, out of a run of
 * about 190 ms. A command reads its values from the options it declared, after parsing.
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

    /** An option that takes a path, which may not be empty: {@code --state-dir ''} would otherwise mean the current directory. */
    static OptionSpec.Builder pathOption(String name, String label, String description) {
        return option(name, Path.class, label, description).converters(new NonEmptyPath());
    }

    /** An option without a value: true when given, else false. */
    static OptionSpec flag(String name, String description) {
        return OptionSpec.builder(name).type(boolean.class).initialValue(false).description(description).build();
    }

    /**
     * A positional parameter of {@code type}, shown as {@code label} in help, given {@code arity} times ("1", "0..1",
     * "1..*"); required when its arity's minimum is not 0, as picocli's annotations would make it.
     */
    static PositionalParamSpec.Builder parameter(String label, Class<?> type, String arity, String description) {
        return PositionalParamSpec.builder().type(type).paramLabel(label).arity(arity)
                .required(Range.valueOf(arity).min() > 0).description(description);
    }

    private static final class NonEmptyPath implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            if (value.isBlank()) {
                throw new TypeConversionException("an empty path; give a directory");
            }
            return Path.of(value);
        }
    }
}

package dev.plumb.cli;

import dev.plumb.api.Diagnostic;
import dev.plumb.compiler.CompileException;
import dev.plumb.compiler.Compiler;
import dev.plumb.compiler.ProjectLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Stack;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/** The options every command that reads a project shares. */
final class ProjectOptions {

    @Option(names = {"-p", "--project"}, paramLabel = "DIR", converter = NonEmptyPath.class,
            description = "the project directory (default: the current directory)")
    Path project = Path.of(".");

    @Option(names = "--var", paramLabel = "KEY=VALUE", parameterConsumer = Assignment.class,
            description = "set a variable; overrides every file (repeatable)")
    Map<String, String> vars = new LinkedHashMap<>();

    /** Reads {@code --var KEY=VALUE}, saying how to write it when the {@code =} is missing. */
    static final class Assignment implements IParameterConsumer {
        @Override
        @SuppressWarnings("unchecked")
        public void consumeParameters(Stack<String> args, ArgSpec option, CommandSpec command) {
            String assignment = args.isEmpty() ? "" : args.pop();
            int equals = assignment.indexOf('=');
            if (equals <= 0) {
                throw new ParameterException(command.commandLine(), "--var takes KEY=VALUE, e.g. --var workers=4; got '"
                        + assignment + "'");
            }
            ((Map<String, String>) option.getValue()).put(assignment.substring(0, equals), assignment.substring(equals + 1));
        }
    }

    @Option(names = "--no-color", description = "never colour the output (colour is used only on a terminal)")
    boolean noColor;

    Compiler compiler() throws CompileException {
        return new Compiler(ProjectLoader.load(project));
    }

    /** Command-line values as YAML would read them: whole numbers and booleans keep their type. */
    Map<String, Object> commandLineVars() {
        Map<String, Object> typed = new LinkedHashMap<>();
        vars.forEach((key, value) -> typed.put(key, value.matches("-?\\d{1,18}") ? (Object) Long.parseLong(value)
                : value.equals("true") || value.equals("false") ? (Object) Boolean.parseBoolean(value) : value));
        return typed;
    }

    /** A path option that may not be empty: {@code --state-dir ''} would otherwise mean the current directory. */
    static final class NonEmptyPath implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            if (value.isBlank()) {
                throw new TypeConversionException("an empty path; give a directory");
            }
            return Path.of(value);
        }
    }

    boolean color() {
        return !noColor && System.console() != null && System.getenv("NO_COLOR") == null;
    }

    /** Prints every problem, then the promise that nothing was touched. */
    static int reportProblems(CompileException e, PrintWriter err) {
        for (Diagnostic problem : e.problems()) {
            err.println(problem);
        }
        int count = e.problems().size();
        err.println(count + (count == 1 ? " problem" : " problems") + " found; nothing was changed.");
        return ExitCodes.INVALID;
    }
}

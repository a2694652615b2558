package dev.plumb.cli;

import dev.plumb.api.Diagnostic;
import dev.plumb.catalog.Json;
import dev.plumb.compiler.CompileException;
import dev.plumb.compiler.Compiler;
import dev.plumb.compiler.ProjectLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Stack;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import tools.jackson.core.JacksonException;

/** The options every command that reads a project shares. */
final class ProjectOptions {

    private final OptionSpec projectOption = CommandSpecs.pathOption("--project", "DIR",
            "the project directory (default: the current directory)").names("-p", "--project").defaultValue(".").build();

    private final OptionSpec varsOption = CommandSpecs.option("--var", Map.class, "KEY=VALUE",
            "set a variable; overrides every file (repeatable); a value starting with [ or { is JSON")
            .auxiliaryTypes(String.class, String.class).initialValue(new LinkedHashMap<String, String>())
            .parameterConsumer(new Assignment()).build();

    private final OptionSpec noColorOption = CommandSpecs.flag("--no-color",
            "never colour the output (colour is used only on a terminal)");

    ProjectOptions(CommandSpec command) {
        command.addOption(projectOption).addOption(varsOption).addOption(noColorOption);
    }

    /** The project's directory. */
    Path project() {
        return projectOption.getValue();
    }

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
            String value = assignment.substring(equals + 1);
            if (isJson(value)) {
                try {
                    Json.MAPPER.readTree(value);
                } catch (JacksonException e) {
                    throw new ParameterException(command.commandLine(), "--var " + assignment.substring(0, equals)
                            + ": a value starting with [ or { is read as JSON, and this is not valid JSON: "
                            + e.getOriginalMessage() + "; e.g. --var 'servers=[\"a\", \"b\"]'");
                }
            }
            ((Map<String, String>) option.getValue()).put(assignment.substring(0, equals), value);
        }
    }

    /** A list or mapping given as JSON, as {@code --var 'servers=["a","b"]'}. */
    private static boolean isJson(String value) {
        return value.startsWith("[") || value.startsWith("{");
    }

    Compiler compiler() throws CompileException {
        return new Compiler(ProjectLoader.load(project()));
    }

    /** The {@code --var} values, as {@link #typed} reads them. */
    Map<String, Object> commandLineVars() {
        return typed(varsOption.getValue());
    }

    /** Command-line values as YAML would read them: whole numbers and booleans keep their type, JSON lists and mappings theirs. */
    static Map<String, Object> typed(Map<String, String> vars) {
        Map<String, Object> typed = new LinkedHashMap<>();
        vars.forEach((key, value) -> typed.put(key, isJson(value) ? Json.MAPPER.readValue(value, Object.class)
                : value.matches("-?\\d{1,18}") ? (Object) Long.parseLong(value)
                : value.equals("true") || value.equals("false") ? (Object) Boolean.parseBoolean(value) : value));
        return typed;
    }

    boolean color() {
        boolean noColor = noColorOption.getValue();
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

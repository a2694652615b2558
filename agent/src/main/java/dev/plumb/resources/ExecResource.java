package dev.plumb.resources;

import dev.plumb.api.Action;
import dev.plumb.api.Attribute;
import dev.plumb.api.Change;
import dev.plumb.api.Command;
import dev.plumb.api.CommandResult;
import dev.plumb.api.Context;
import dev.plumb.api.FailureKind;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.Refreshable;
import dev.plumb.api.Resource;
import dev.plumb.api.ResourceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code exec: NAME} — a shell command, run when its guards say it is needed. The guards are how an exec
 * stays idempotent: {@code creates} (skip when the path exists), {@code unless} (skip when that command
 * succeeds) and {@code onlyif} (skip unless it succeeds). Guards are read-only by contract, so a plan runs
 * them to predict exactly whether apply would run the command.
 */
public record ExecResource(
        @Attribute(doc = "a label; also the command when command is not given") String name,
        @Attribute(doc = "the shell command line") String command,
        @Attribute(doc = "a path the command creates") String creates,
        @Attribute(doc = "a command whose success means nothing needs doing") String unless,
        @Attribute(doc = "a command whose failure means nothing needs doing") String onlyif,
        @Attribute(doc = "run only when notified by a change") boolean refreshonly,
        @Attribute(doc = "working directory") String cwd,
        @Attribute(doc = "extra environment variables") Map<String, String> env,
        @Attribute(doc = "seconds before the command (or a guard) is killed; default 300",
                defaultValue = "300")
        Integer timeout)
        implements Resource, Refreshable {

    private static final int DEFAULT_TIMEOUT_SECONDS = 300;

    /** What a shell accepts as a variable name; anything else could not be read by the command. */
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    @Override
    public List<Diagnostic> validate() {
        List<Diagnostic> problems = new ArrayList<>();
        Rules.normalPath(problems, "creates", creates);
        Rules.normalPath(problems, "cwd", cwd);
        if (env != null) {
            env.keySet().stream().filter(key -> !ENV_NAME.matcher(key).matches()).sorted().forEach(key -> problems.add(
                    Diagnostic.ofAttribute("env", "'" + key + "' is not a variable name: use letters, digits and '_', "
                            + "not starting with a digit (put '=' and other characters in the value)")));
        }
        if (timeout != null && timeout <= 0) {
            problems.add(Diagnostic.ofAttribute("timeout", timeout + " is not a positive number of seconds"));
        }
        return problems;
    }

    @Override
    public Change converge(Context context, boolean apply) throws IOException, ResourceException {
        if (refreshonly) {
            return new Change();
        }
        return runIfNeeded(context, apply, "");
    }

    @Override
    public Change refresh(Context context, boolean apply, List<Notice> notices) throws IOException, ResourceException {
        return runIfNeeded(context, apply, Refreshable.notifiedBy(notices));
    }

    private Change runIfNeeded(Context context, boolean apply, String reason) throws IOException, ResourceException {
        Change change = new Change();
        if (!guardsAllowRun(context)) {
            return change;
        }
        change.add(Action.CHANGE, "command", null, commandLine(), "run '" + commandLine() + "'" + reason);
        if (apply) {
            CommandResult result = run(context, commandLine());
            if (!result.succeeded()) {
                throw new ResourceException(FailureKind.COMMAND_FAILED, "'" + commandLine() + "' exited with " + result.exitCode()
                        + evidence(result));
            }
        }
        return change;
    }

    private boolean guardsAllowRun(Context context) throws IOException {
        if (creates != null && Files.exists(Path.of(creates))) {
            return false;
        }
        if (unless != null && run(context, unless).succeeded()) {
            return false;
        }
        return onlyif == null || run(context, onlyif).succeeded();
    }

    private CommandResult run(Context context, String commandLine) throws IOException {
        Duration limit = Duration.ofSeconds(timeout != null ? timeout : DEFAULT_TIMEOUT_SECONDS);
        try {
            return context.commands().run(Command.shell(commandLine, cwd != null ? Path.of(cwd) : null, env, limit));
        } catch (IOException e) {
            throw new IOException("'" + commandLine + "': " + e.getMessage(), e);
        }
    }

    private String commandLine() {
        return command != null ? command : name;
    }

    private static String evidence(CommandResult result) {
        String evidence = result.evidence();
        return evidence.isEmpty() ? "" : ":\n" + evidence;
    }
}

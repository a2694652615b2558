package dev.plumb.resources;

import dev.plumb.api.Action;
import dev.plumb.api.Attribute;
import dev.plumb.api.AutoRequires;
import dev.plumb.api.Change;
import dev.plumb.api.Context;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.PathBound;
import dev.plumb.api.Removable;
import dev.plumb.api.Resource;
import dev.plumb.api.ResourceException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code cron: NAME} — a cron job, in a file of its own, {@code /etc/cron.d/plumb-NAME}, whose whole content
 * plumb manages: a header, the {@code env} variables, and the line {@code SCHEDULE USER COMMAND}. The file is
 * root's with mode 0644, since cron ignores files that are not. Writing, comparing, diffs and backups are the
 * file resource's.
 */
public record CronResource(
        @Attribute(doc = "the job's name: letters, digits, _ and -, since cron skips files with other "
                + "characters")
        String name,
        @Attribute(doc = "the user the command runs as; default root", defaultValue = "root") String user,
        @Attribute(doc = "five fields (minute hour day-of-month month day-of-week) or a macro such as "
                + "@daily")
        String schedule,
        @Attribute(doc = "the shell command line; plumb escapes each % so that cron passes it on unchanged")
        String command,
        @Attribute(doc = "variables cron sets for the command, written as KEY=value lines in name order")
        Map<String, String> env,
        @Attribute(doc = "present (default) or absent",
                defaultValue = "present", values = {"present", "absent"})
        String ensure) implements Resource, PathBound, AutoRequires, Removable {

    private static final Path DIRECTORY = Path.of("/etc/cron.d");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*\\$?");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    @Override
    public List<Diagnostic> validate() {
        List<Diagnostic> problems = new ArrayList<>();
        if (!NAME.matcher(name).matches()) {
            problems.add(Diagnostic.ofAttribute("name", "'" + name + "' cannot name a cron job; use letters, digits, _ "
                    + "and - only (cron skips the files in " + DIRECTORY + " whose names hold anything else, such as a dot)"));
        }
        Rules.oneOf(problems, "ensure", ensure, "present", "absent");
        if (user != null && !USER.matcher(user).matches()) {
            problems.add(Diagnostic.ofAttribute("user", "'" + user + "' is not a user name; expected letters, digits, "
                    + "_ . and -, such as www-data"));
        }
        if (!"absent".equals(ensure)) {
            Rules.required(problems, "schedule", schedule);
            Rules.required(problems, "command", command);
        }
        if (schedule != null) {
            CronSchedule.problems(schedule).forEach(problem -> problems.add(Diagnostic.ofAttribute("schedule", problem)));
        }
        String commandProblem = command != null ? commandProblem() : null;
        if (commandProblem != null) {
            problems.add(Diagnostic.ofAttribute("command", commandProblem));
        }
        if (env != null) {
            new TreeMap<>(env).forEach((variable, value) -> {
                if (!VARIABLE.matcher(variable).matches()) {
                    problems.add(Diagnostic.ofAttribute("env", "'" + variable + "' is not a variable name; expected "
                            + "letters, digits and _, not starting with a digit, such as MAILTO"));
                }
                if (value.contains("\n") || value.contains("\r")) {
                    problems.add(Diagnostic.ofAttribute("env", variable + " holds a newline; cron reads one variable per line"));
                }
            });
        }
        return problems;
    }

    /** What makes the command unfit for a cron line, or null. */
    private String commandProblem() {
        if (command.isBlank()) {
            return "is empty";
        }
        if (command.contains("\n") || command.contains("\r")) {
            return "holds a newline; cron reads one line per job (join the commands with && or put them in a script)";
        }
        if (command.contains("\\%")) {
            // Cron turns \% into % and cannot pass a backslash right before a % to the shell.
            return "holds \\%; write a plain %, which plumb escapes for cron";
        }
        return null;
    }

    @Override
    public String path() {
        return DIRECTORY.resolve("plumb-" + name).toString();
    }

    @Override
    public boolean ownsPath() {
        return true;
    }

    @Override
    public List<String> autoRequires() {
        return List.of("user:" + runAs());
    }

    @Override
    public boolean removes() {
        return "absent".equals(ensure);
    }

    @Override
    public Change converge(Context context, boolean apply) throws IOException, ResourceException {
        FileResource file = file();
        Change planned = file.converge(context, false);
        if (!apply || !planned.isNeeded()) {
            return asJob(planned);
        }
        // Only now, as for a file's owner: during a plan, an earlier resource may not have created the user yet.
        if (!"absent".equals(ensure)) {
            requireKnownUser();
        }
        return asJob(file.converge(context, true));
    }

    /** The job's file as a file resource: the generated content, root's, mode 0644. */
    private FileResource file() {
        if ("absent".equals(ensure)) {
            return FileResource.absent(path());
        }
        return FileResource.text(path(), content(), "0644", "root", "root");
    }

    private String content() {
        StringBuilder out = new StringBuilder("# Managed by plumb: cron[" + name + "]. Changes made here are overwritten.\n");
        if (env != null) {
            new TreeMap<>(env).forEach((variable, value) -> out.append(variable).append('=').append(value).append('\n'));
        }
        // Cron ends the command at an unescaped % and feeds the rest to it as input.
        return out.append(CronSchedule.normalized(schedule)).append(' ').append(runAs()).append(' ')
                .append(command.replace("%", "\\%")).append('\n').toString();
    }

    private String runAs() {
        return user != null ? user : "root";
    }

    /** Fails instead of writing a job that cron would never run. */
    private void requireKnownUser() throws IOException, ResourceException {
        try {
            FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(runAs());
        } catch (UserPrincipalNotFoundException e) {
            throw new ResourceException("user '" + runAs() + "' does not exist on this host, and cron skips the jobs "
                    + "of unknown users");
        }
    }

    /** The file's change described as the job's: create and remove name the job; other details stay the file's. */
    private static Change asJob(Change file) {
        Change job = new Change();
        switch (file.action()) {
            case CREATE -> job.add(Action.CREATE, "ensure", null, "present", "create cron job");
            case REMOVE -> job.add(Action.REMOVE, "ensure", "present", "absent", "remove cron job");
            case CHANGE -> file.entries().forEach(job::add);
            case NONE -> { }
        }
        file.backups().forEach(job::backup);
        return job.diff(file.diff());
    }
}

package dev.plumb;

import dev.plumb.system.Command;
import dev.plumb.system.CommandResult;
import dev.plumb.system.CommandRunner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A command runner that runs nothing: it records every command and answers with the result set for its
 * command line (exit code 0 and no output unless set). A command's line is a shell command's own text, or
 * the argv joined by spaces.
 */
public final class RecordingRunner implements CommandRunner {

    private final List<Command> commands = new ArrayList<>();
    private final Map<String, CommandResult> answers = new HashMap<>();

    public synchronized RecordingRunner answer(String line, int exitCode, String stdout, String stderr) {
        answers.put(line, new CommandResult(exitCode, stdout, stderr));
        return this;
    }

    public RecordingRunner exit(String line, int exitCode) {
        return answer(line, exitCode, "", "");
    }

    @Override
    public synchronized CommandResult run(Command command) {
        commands.add(command);
        return answers.getOrDefault(lineOf(command), new CommandResult(0, "", ""));
    }

    public synchronized List<Command> commands() {
        return List.copyOf(commands);
    }

    public synchronized List<List<String>> argvs() {
        return commands.stream().map(Command::argv).toList();
    }

    /** The line of every command run so far, in order. */
    public synchronized List<String> lines() {
        return commands.stream().map(RecordingRunner::lineOf).toList();
    }

    public static String lineOf(Command command) {
        List<String> argv = command.argv();
        boolean shell = argv.size() == 3 && argv.get(0).equals("/bin/sh") && argv.get(1).equals("-c");
        return shell ? argv.get(2) : String.join(" ", argv);
    }
}

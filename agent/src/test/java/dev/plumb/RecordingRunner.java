package dev.plumb;

import dev.plumb.api.Command;
import dev.plumb.api.CommandResult;
import dev.plumb.api.CommandRunner;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A command runner that records every command. Alone it runs nothing and answers with the result set for
 * the command's line (exit code 0 and no output unless set); with a delegate, the delegate runs it. A
 * command's line is a shell command's own text, or the argv joined by spaces.
 */
public final class RecordingRunner implements CommandRunner {

    private final List<Command> commands = new ArrayList<>();
    private final Map<String, CommandResult> answers = new HashMap<>();
    private final Map<String, CommandResult> prefixAnswers = new HashMap<>();
    private final CommandRunner delegate;

    /** Runs nothing: answers as set. */
    public RecordingRunner() {
        this(null);
    }

    /** Records every command and has {@code delegate} run it for real. */
    public RecordingRunner(CommandRunner delegate) {
        this.delegate = delegate;
    }

    public synchronized RecordingRunner answer(String line, int exitCode, String stdout, String stderr) {
        answers.put(line, new CommandResult(exitCode, stdout, stderr));
        return this;
    }

    /** Answers every command whose line starts with {@code prefix}; exact answers win, then the longest prefix. */
    public synchronized RecordingRunner answerPrefix(String prefix, int exitCode, String stdout, String stderr) {
        prefixAnswers.put(prefix, new CommandResult(exitCode, stdout, stderr));
        return this;
    }

    public RecordingRunner exit(String line, int exitCode) {
        return answer(line, exitCode, "", "");
    }

    @Override
    public CommandResult run(Command command) throws IOException {
        synchronized (this) {
            commands.add(command);
            if (delegate == null) {
                String line = lineOf(command);
                return answers.getOrDefault(line, prefixAnswers.entrySet().stream()
                        .filter(answer -> line.startsWith(answer.getKey()))
                        .max(Comparator.comparingInt(answer -> answer.getKey().length())).map(Map.Entry::getValue)
                        .orElse(new CommandResult(0, "", "")));
            }
        }
        return delegate.run(command);
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

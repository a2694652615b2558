package dev.plumb.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A command to run: its argv, working directory (null: inherit), extra environment, time limit and what it reads
 * on standard input (null: nothing). A secret a command needs goes to its standard input, never into its argv,
 * which every user of the host can read in {@code ps}.
 */
public record Command(List<String> argv, Path cwd, Map<String, String> env, Duration timeout, String stdin) {

    public Command {
        argv = List.copyOf(argv);
        env = env == null ? Map.of() : Map.copyOf(env);
    }

    /** A command that reads nothing on standard input. */
    public Command(List<String> argv, Path cwd, Map<String, String> env, Duration timeout) {
        this(argv, cwd, env, timeout, null);
    }

    /** A shell command line, run with {@code /bin/sh -c} as operators write it in a terminal. */
    public static Command shell(String commandLine, Path cwd, Map<String, String> env, Duration timeout) {
        return new Command(List.of("/bin/sh", "-c", commandLine), cwd, env, timeout);
    }

    /** Shows the argv only: standard input may hold a secret. */
    @Override
    public String toString() {
        return "Command" + argv + (stdin == null ? "" : " with standard input");
    }
}

package dev.plumb.system;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A command to run: its argv, working directory (null: inherit), extra environment and time limit. */
public record Command(List<String> argv, Path cwd, Map<String, String> env, Duration timeout) {

    public Command {
        argv = List.copyOf(argv);
        env = env == null ? Map.of() : Map.copyOf(env);
    }

    /** A shell command line, run with {@code /bin/sh -c} as operators write it in a terminal. */
    public static Command shell(String commandLine, Path cwd, Map<String, String> env, Duration timeout) {
        return new Command(List.of("/bin/sh", "-c", commandLine), cwd, env, timeout);
    }
}

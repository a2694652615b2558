package dev.plumb.testhosts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What a command run to its end left: its exit code and its output, standard output and error together. */
public record CommandOutput(int exitCode, String output) {

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Runs {@code command} with {@code env} added to this JVM's environment; fails when it runs past {@code timeout}. */
    static CommandOutput run(List<String> command, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        // A file rather than a pipe: the time limit holds even when the command's own children keep the output open.
        Path output = Files.createTempFile("plumb-testhosts-", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IOException("'" + String.join(" ", command) + "' did not finish within " + timeout.toSeconds()
                        + " s; its output so far:\n" + Files.readString(output, StandardCharsets.UTF_8));
            }
            return new CommandOutput(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.delete(output);
        }
    }

    /** This result, or an error naming the command and showing its output when it failed. */
    CommandOutput orFail(List<String> command) throws IOException {
        if (!succeeded()) {
            throw new IOException("'" + String.join(" ", command) + "' failed with exit code " + exitCode + ":\n"
                    + output.strip());
        }
        return this;
    }
}

package dev.plumb.system;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Runs commands as real processes, with their standard input or none, killing the whole tree on time-out. */
public final class ProcessCommandRunner implements CommandRunner {

    /** Both output streams are drained at once on their own threads, or a chatty command would block. */
    private static final ExecutorService DRAINERS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "plumb-command-output");
        thread.setDaemon(true);
        return thread;
    });

    @Override
    public CommandResult run(Command command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command.argv()).redirectInput(command.stdin() == null
                ? ProcessBuilder.Redirect.from(new File("/dev/null")) : ProcessBuilder.Redirect.PIPE);
        if (command.cwd() != null) {
            builder.directory(command.cwd().toFile());
        }
        builder.environment().putAll(command.env());
        Process process = builder.start();
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()), DRAINERS);
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()), DRAINERS);
        if (command.stdin() != null) {
            // On its own thread too, so that a command that does not read its input cannot outlast its time limit.
            CompletableFuture.runAsync(() -> writeInput(process, command.stdin()), DRAINERS);
        }
        try {
            if (!process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                long millis = command.timeout().toMillis();
                throw new IOException("timed out after " + (millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms"));
            }
            return new CommandResult(process.exitValue(), stdout.join(), stderr.join());
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Writes the command's input and closes it; a command that exits without reading it all is no error here. */
    private static void writeInput(Process process, String input) {
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // The pipe broke because the command exited early; its exit code tells what happened.
        }
    }

    private static String drain(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.plumb.system;

import dev.plumb.api.Command;
import dev.plumb.api.CommandResult;
import dev.plumb.api.CommandRunner;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs commands as real processes, with their standard input or none, each in a session of its own, so that
 * everything it starts, double-forked children included, can be killed with it: on time-out, and when the run is
 * interrupted. Keeps the last {@value #OUTPUT_LIMIT} bytes of each output stream.
 */
public final class ProcessCommandRunner implements CommandRunner {

    /** Enough for any output a provider parses; an exec printing gigabytes keeps only its tail. */
    static final int OUTPUT_LIMIT = 1024 * 1024;

    /**
     * util-linux's setsid, essential on Debian: starts the command as the leader of a new session. Without it,
     * commands stay in plumb's session and only their descendants can be found and killed.
     */
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private static final String INTERRUPTED = "killed: the run was interrupted";

    /** Both output streams are drained at once on their own threads, or a chatty command would block. */
    private static final ExecutorService DRAINERS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "plumb-command-output");
        thread.setDaemon(true);
        return thread;
    });

    private final Set<Process> running = ConcurrentHashMap.newKeySet();
    private volatile boolean interrupted;

    @Override
    public CommandResult run(Command command) throws IOException {
        Process process = start(command);
        long deadline = System.nanoTime() + command.timeout().toNanos();
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()), DRAINERS);
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()), DRAINERS);
        if (command.stdin() != null) {
            // On its own thread too, so that a command that does not read its input cannot outlast its time limit.
            CompletableFuture.runAsync(() -> writeInput(process, command.stdin()), DRAINERS);
        }
        try {
            if (!process.waitFor(command.timeout().toNanos(), TimeUnit.NANOSECONDS)) {
                killSession(process);
                throw new IOException(timedOut(command));
            }
            CommandResult result = new CommandResult(process.exitValue(), output(stdout, deadline, process, command),
                    output(stderr, deadline, process, command));
            if (interrupted) {
                throw new IOException(INTERRUPTED);
            }
            return result;
        } catch (InterruptedException e) {
            killSession(process);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            running.remove(process);
        }
    }

    /**
     * The drained output of an exited command. What it left running in the background may hold the output open;
     * then it is killed at the command's time limit, for the command is not done until its output ends.
     */
    private static String output(CompletableFuture<String> drained, long deadline, Process process, Command command)
            throws IOException, InterruptedException {
        try {
            return drained.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            killSession(process);
            throw new IOException(timedOut(command) + ": what it started in the background kept its output open");
        } catch (ExecutionException e) {
            throw new IOException("cannot read the command's output: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static String timedOut(Command command) {
        long millis = command.timeout().toMillis();
        return "timed out after " + (millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms");
    }

    /**
     * Kills every running command with all it started, and refuses to start any more: the run was told to stop.
     * A command killed this way fails with "killed: the run was interrupted".
     */
    public void interrupt() {
        synchronized (running) {
            interrupted = true;
        }
        running.forEach(ProcessCommandRunner::killSession);
    }

    private Process start(Command command) throws IOException {
        List<String> argv = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            argv.addAll(List.of(SETSID.toString(), "--wait"));
        }
        argv.addAll(command.argv());
        ProcessBuilder builder = new ProcessBuilder(argv).redirectInput(command.stdin() == null
                ? ProcessBuilder.Redirect.from(new File("/dev/null")) : ProcessBuilder.Redirect.PIPE);
        if (command.cwd() != null) {
            builder.directory(command.cwd().toFile());
        }
        builder.environment().putAll(command.env());
        // Checked, started and registered under the lock interrupt() sets its flag under: either this command sees the
        // flag, or interrupt() sees this command.
        synchronized (running) {
            if (interrupted) {
                throw new IOException(INTERRUPTED);
            }
            Process process = builder.start();
            running.add(process);
            return process;
        }
    }

    /**
     * Kills the process, the session it leads and what is left of its descendants: a double-forked child has no
     * parent in the tree any more, but stays in the session.
     */
    private static void killSession(Process process) {
        long session = process.pid();
        List<ProcessHandle> members = new ArrayList<>(process.descendants().toList());
        ProcessHandle.allProcesses().filter(p -> Sessions.of(p.pid()) == session).forEach(members::add);
        process.destroyForcibly();
        members.forEach(ProcessHandle::destroyForcibly);
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
        try {
            return new OutputTail(OUTPUT_LIMIT).drain(stream).text();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

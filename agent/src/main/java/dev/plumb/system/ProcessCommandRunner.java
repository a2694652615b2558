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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongUnaryOperator;
import java.util.stream.Stream;

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

    private final Set<Started> running = ConcurrentHashMap.newKeySet();
    private volatile boolean interrupted;

    @Override
    public CommandResult run(Command command) throws IOException {
        Started started = start(command);
        Process process = started.process();
        long deadline = System.nanoTime() + command.timeout().toNanos();
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()), DRAINERS);
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()), DRAINERS);
        if (command.stdin() != null) {
            // On its own thread too, so that a command that does not read its input cannot outlast its time limit.
            CompletableFuture.runAsync(() -> writeInput(process, command.stdin()), DRAINERS);
        }
        try {
            if (!process.waitFor(command.timeout().toNanos(), TimeUnit.NANOSECONDS)) {
                started.kill();
                throw new IOException(timedOut(command));
            }
            CommandResult result;
            try {
                result = new CommandResult(process.exitValue(), output(stdout, deadline, started, command),
                        output(stderr, deadline, started, command));
            } catch (IOException e) {
                // Killed by an interruption while its output was read: that, not the closed stream, is what happened.
                throw interrupted ? new IOException(INTERRUPTED, e) : e;
            }
            if (interrupted) {
                throw new IOException(INTERRUPTED);
            }
            return result;
        } catch (InterruptedException e) {
            started.kill();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            running.remove(started);
        }
    }

    /**
     * The drained output of an exited command. What it left running in the background may hold the output open;
     * then it is killed at the command's time limit, for the command is not done until its output ends.
     */
    private static String output(CompletableFuture<String> drained, long deadline, Started started, Command command)
            throws IOException, InterruptedException {
        try {
            return drained.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            started.kill();
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
     * Kills every running command with all it started, and refuses to start any more until {@link #resume}: the run
     * was told to stop. A command killed or refused this way fails with "killed: the run was interrupted".
     */
    public void interrupt() {
        synchronized (running) {
            interrupted = true;
        }
        running.forEach(Started::kill);
    }

    /** Starts commands again after {@link #interrupt}: the interrupted run is over, and the next one may run. */
    public void resume() {
        synchronized (running) {
            interrupted = false;
        }
    }

    private Started start(Command command) throws IOException {
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
            // Read at once, while its pid is surely its own: it tells this command's processes from those that take the
            // pid once it is reaped. Unknown only if it already exited; then nothing is killed by session.
            Started started = new Started(process, process.toHandle().info().startInstant().orElse(Instant.MAX));
            running.add(started);
            return started;
        }
    }

    /** A running command: its process, the leader of its session, and when that process started. */
    private record Started(Process process, Instant startedAt) {

        /**
         * Kills the process, the session it leads and what is left of its descendants: a double-forked child has no
         * parent in the tree any more, but stays in the session. Listed while the leader lives (a descendant that left
         * the session is found only through its parents), and again once it is dead: what it forked in between is in
         * its session, and a dead leader forks nothing more.
         */
        void kill() {
            List<ProcessHandle> members = members();
            process.destroyForcibly();
            members.forEach(ProcessHandle::destroyForcibly);
            members().forEach(ProcessHandle::destroyForcibly);
        }

        private List<ProcessHandle> members() {
            return commandProcesses(process.pid(), startedAt, ProcessHandle.allProcesses(), Sessions::of);
        }
    }

    /**
     * Of {@code candidates}, the processes of the command whose leader has pid {@code leaderPid} and started at
     * {@code leaderStart}: the leader, those in its session and those below it, started at or after it. Once the leader has been reaped
     * its pid may belong to an unrelated process, even a session leader, and a pid is no proof: if a process with
     * that pid started at another time, the pid was reused and nothing is the command's any more.
     */
    static List<ProcessHandle> commandProcesses(long leaderPid, Instant leaderStart, Stream<ProcessHandle> candidates,
                                                LongUnaryOperator sessionOf) {
        List<ProcessHandle> all = candidates.toList();
        boolean pidReused = all.stream().anyMatch(p -> p.pid() == leaderPid && !startedAt(p).equals(Optional.of(leaderStart)));
        if (pidReused) {
            return List.of();
        }
        return all.stream().filter(p -> startedAt(p).map(start -> !start.isBefore(leaderStart)).orElse(false))
                .filter(p -> p.pid() == leaderPid || sessionOf.applyAsLong(p.pid()) == leaderPid || descendsFrom(p, leaderPid))
                .toList();
    }

    private static Optional<Instant> startedAt(ProcessHandle process) {
        return process.info().startInstant();
    }

    private static boolean descendsFrom(ProcessHandle process, long ancestorPid) {
        for (Optional<ProcessHandle> up = process.parent(); up.isPresent(); up = up.get().parent()) {
            if (up.get().pid() == ancestorPid) {
                return true;
            }
        }
        return false;
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

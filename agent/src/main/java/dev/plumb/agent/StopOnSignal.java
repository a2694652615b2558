package dev.plumb.agent;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Turns SIGINT and SIGTERM during a run into an orderly stop: a shutdown hook interrupts the run, waits (bounded)
 * for it to write its report and print its output, then ends the process with the run's own exit code rather than
 * the signal's.
 */
public final class StopOnSignal {

    /** Long enough to kill commands and write a report; short of systemd's 90 s before it sends SIGKILL. */
    private static final Duration REPORT_WAIT = Duration.ofSeconds(30);

    /** The exit code of a run that ended without a report, as when it does not end in time: a failure. */
    public static final int NO_REPORT = 4;

    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    private final Duration reportWait;
    private final Thread hook;

    private StopOnSignal(Runnable interrupt, Duration reportWait) {
        this.reportWait = reportWait;
        hook = new Thread(() -> stop(interrupt), "plumb-stop");
    }

    /** A run that prints its report and returns its exit code. */
    @FunctionalInterface
    public interface Run {
        int runAndReport() throws IOException;
    }

    /**
     * Runs {@code run} so that a signal that ends the JVM meanwhile calls {@code interrupt}, waits for {@code run} to
     * return, and exits with its exit code.
     */
    public static int around(Runnable interrupt, Run run) throws IOException {
        return around(interrupt, REPORT_WAIT, run);
    }

    /**
     * As {@link #around(Runnable, Run)}, waiting up to {@code reportWait} for {@code run} to end: longer than an
     * agent's own wait, for a controller whose hosts each stop their agent in order.
     */
    public static int around(Runnable interrupt, Duration reportWait, Run run) throws IOException {
        StopOnSignal stop = new StopOnSignal(interrupt, reportWait);
        Runtime.getRuntime().addShutdownHook(stop.hook);
        int exitCode = NO_REPORT;
        try {
            exitCode = run.runAndReport();
        } finally {
            stop.finish(exitCode);
        }
        return exitCode;
    }

    /** The run ended with {@code code}: removes the hook or, when a signal is being handled, hands it the code. */
    private void finish(int code) {
        exitCode.complete(code);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running: it ends the process with this code.
        }
    }

    private void stop(Runnable interrupt) {
        interrupt.run();
        int code;
        try {
            code = exitCode.get(reportWait.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException | InterruptedException | ExecutionException e) {
            System.err.println("plumb: stopped without a report: the run did not end within " + reportWait.toSeconds()
                    + " s of the signal");
            code = NO_REPORT;
        }
        System.out.flush();
        System.err.flush();
        // halt, not exit: the JVM is already shutting down, and the exit code is the run's, not the signal's.
        Runtime.getRuntime().halt(code);
    }
}

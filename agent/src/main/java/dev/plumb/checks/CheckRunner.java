package dev.plumb.checks;

import dev.plumb.api.CheckContext;
import dev.plumb.api.PreparedCheck;
import dev.plumb.api.ResourceException;
import dev.plumb.api.Verdict;
import dev.plumb.catalog.CheckReport;
import dev.plumb.catalog.CheckResult;
import dev.plumb.catalog.CheckStatus;
import dev.plumb.system.FileErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs checks, all at once: a run takes about as long as its slowest check, not the sum. Each attempt is held to
 * the check's timeout (a check that does not return in time is abandoned and fails); a failed check looks again
 * after its interval, up to its retries, so a service that is still starting gets the time it needs. Never throws:
 * whatever a check throws becomes its error.
 */
public final class CheckRunner {

    /** Time a check gets beyond its timeout to report the timeout in its own words before it is abandoned. */
    private static final Duration GRACE = Duration.ofMillis(200);

    /** Waits between attempts; tests pass one that makes things happen instead of waiting. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration duration) throws InterruptedException;
    }

    private final CheckContext context;
    private final Pause pause;

    public CheckRunner(CheckContext context, Pause pause) {
        this.context = context;
        this.pause = pause;
    }

    public CheckRunner(CheckContext context) {
        this(context, duration -> Thread.sleep(duration.toMillis()));
    }

    /** Runs every check and reports them in the order given. */
    public CheckReport run(List<PreparedCheck> checks) {
        long start = System.nanoTime();
        // Checks mostly wait (on sockets, processes, the disk), so each gets its own thread; attempts too, so that
        // one that hangs can be abandoned while its check goes on.
        ExecutorService threads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "plumb-check");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<CheckResult>> futures = new ArrayList<>();
            for (PreparedCheck check : checks) {
                futures.add(threads.submit(() -> runWithRetries(check, threads)));
            }
            List<CheckResult> results = new ArrayList<>();
            for (int i = 0; i < checks.size(); i++) {
                results.add(join(futures.get(i), checks.get(i)));
            }
            return CheckReport.of(results, (System.nanoTime() - start) / 1_000_000);
        } finally {
            threads.shutdownNow();
        }
    }

    private CheckResult runWithRetries(PreparedCheck check, ExecutorService threads) {
        long start = System.nanoTime();
        int attempts = 0;
        Attempt last;
        while (true) {
            attempts++;
            last = attempt(check, threads);
            if (last.passed() || attempts > check.retries()) {
                break;
            }
            try {
                pause.pause(check.interval());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        Verdict verdict = last.verdict();
        if (verdict == null) {
            return new CheckResult(check.id(), check.name(), CheckStatus.FAILED, List.of(), last.error(), null, attempts, millis);
        }
        return new CheckResult(check.id(), check.name(), verdict.passed() ? CheckStatus.PASSED : CheckStatus.FAILED,
                verdict.mismatches(), null, verdict.passed() ? null : verdict.evidence(), attempts, millis);
    }

    /** One look, held to the check's timeout. */
    private Attempt attempt(PreparedCheck check, ExecutorService threads) {
        Future<Verdict> future = threads.submit(() -> check.check().verify(context, check.timeout()));
        try {
            return new Attempt(future.get(check.timeout().plus(GRACE).toMillis(), TimeUnit.MILLISECONDS), null);
        } catch (TimeoutException e) {
            future.cancel(true);
            return new Attempt(null, "no answer within " + Durations.format(check.timeout()) + " (timeout)");
        } catch (ExecutionException e) {
            return new Attempt(null, describe(e.getCause()));
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return new Attempt(null, "interrupted");
        }
    }

    /** The result of a check's future; never throws, since the check's own code already caught everything. */
    private static CheckResult join(Future<CheckResult> future, PreparedCheck check) {
        try {
            return future.get();
        } catch (ExecutionException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return new CheckResult(check.id(), check.name(), CheckStatus.FAILED, List.of(),
                    "unexpected " + e + " (this is a bug in plumb)", null, 0, 0);
        }
    }

    /** What an attempt threw, for the operator. */
    static String describe(Throwable thrown) {
        if (thrown instanceof ResourceException) {
            return thrown.getMessage();
        }
        if (thrown instanceof UncheckedIOException unchecked) {
            thrown = unchecked.getCause();
        }
        if (thrown instanceof IOException io) {
            String described = FileErrors.describe(io);
            return described != null ? described : messageOf(io);
        }
        if (thrown instanceof InterruptedException) {
            return "interrupted";
        }
        return "unexpected " + thrown + " (this is a bug in plumb)";
    }

    /** The first message along the causes, as JDK network errors often carry theirs only in a cause. */
    static String messageOf(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return thrown.getClass().getSimpleName();
    }

    /** How one look came out: a verdict, or the error that kept the check from reaching one. */
    private record Attempt(Verdict verdict, String error) {
        boolean passed() {
            return verdict != null && verdict.passed();
        }
    }
}

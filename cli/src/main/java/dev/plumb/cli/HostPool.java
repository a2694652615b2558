package dev.plumb.cli;

import dev.plumb.compiler.Project;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs one task per host, at most {@code parallel} at a time, starting them in the hosts' order. Once stopped (Ctrl-C)
 * it starts no more: the hosts not yet started are handed to {@link Task#notStarted} instead.
 */
final class HostPool {

    /** What is done for each host; a task handles its host's failures itself, so one host never stops another. */
    interface Task {
        void run(Project.Host host);

        void notStarted(Project.Host host);
    }

    private final int parallel;
    private volatile boolean stopped;

    HostPool(int parallel) {
        this.parallel = parallel;
    }

    /** Runs {@code task} for every host and returns once all have ended. */
    void forEach(List<Project.Host> hosts, Task task) {
        if (hosts.isEmpty()) {
            return;
        }
        ExecutorService threads = Executors.newFixedThreadPool(Math.min(parallel, hosts.size()), runnable -> {
            Thread thread = new Thread(runnable, "plumb-host");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> running = new ArrayList<>();
            for (Project.Host host : hosts) {
                running.add(threads.submit(() -> {
                    if (stopped) {
                        task.notStarted(host);
                    } else {
                        task.run(host);
                    }
                }));
            }
            for (Future<?> host : running) {
                waitFor(host);
            }
        } finally {
            threads.shutdown();
        }
    }

    /** Starts no more hosts; those running go on until their transport is interrupted. */
    void stop() {
        stopped = true;
    }

    private static void waitFor(Future<?> host) {
        try {
            host.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while hosts were running", e);
        } catch (ExecutionException e) {
            // A task that throws is a bug in plumb: it surfaces as one, with its cause.
            throw new IllegalStateException("a host's task failed", e.getCause());
        }
    }
}

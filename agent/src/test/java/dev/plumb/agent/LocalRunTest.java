package dev.plumb.agent;

import static dev.plumb.Fixtures.catalog;
import static dev.plumb.Fixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.Fixtures;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.ResourceResult;
import dev.plumb.catalog.RunReport;
import dev.plumb.catalog.Status;
import dev.plumb.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A local run as a resident agent uses it: several runs, one after the other, on one open run. */
class LocalRunTest {

    @TempDir
    Path dir;

    @Test
    void aRunAfterACancelledOneRunsItsCommandsAgain() throws Exception {
        Path started = dir.resolve("started");
        Path done = dir.resolve("done");
        Engine.Prepared slow = Engine.prepare(catalog(resource("exec", "slow", Map.of("command",
                "touch '" + started + "'; sleep 60", "creates", dir.resolve("never").toString()))), BuiltInTypes.REGISTRY);
        Engine.Prepared quick = Engine.prepare(catalog(resource("exec", "quick", Map.of("command",
                "touch '" + done + "'", "creates", done.toString()))), BuiltInTypes.REGISTRY);

        try (LocalRun localRun = LocalRun.open(dir.resolve("state"), Fixtures.FACTS, Mode.APPLY, Duration.ofSeconds(10))) {
            CompletableFuture<RunReport> cancelled = CompletableFuture.supplyAsync(() -> {
                try {
                    return localRun.run(slow, false);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!Files.exists(started) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            localRun.cancel();
            assertThat(cancelled.get(30, TimeUnit.SECONDS).resources()).extracting(ResourceResult::status)
                    .containsExactly(Status.FAILED);

            RunReport next = localRun.run(quick, false);

            assertThat(next.resources()).extracting(ResourceResult::status).containsExactly(Status.CHANGED);
            assertThat(done).exists();
        }
    }

    @Test
    void anInterruptedLocalRunStartsNoCommandAfterwards() throws Exception {
        Path done = dir.resolve("done");
        Engine.Prepared quick = Engine.prepare(catalog(resource("exec", "quick", Map.of("command",
                "touch '" + done + "'", "creates", done.toString()))), BuiltInTypes.REGISTRY);

        try (LocalRun localRun = LocalRun.open(dir.resolve("state"), Fixtures.FACTS, Mode.APPLY, Duration.ofSeconds(10))) {
            // A signal: the process is stopping, and a later host of the same command must not start its commands.
            localRun.interrupt();

            assertThat(localRun.run(quick, false).resources()).extracting(ResourceResult::status)
                    .containsExactly(Status.FAILED);
            assertThat(done).doesNotExist();
        }
    }
}

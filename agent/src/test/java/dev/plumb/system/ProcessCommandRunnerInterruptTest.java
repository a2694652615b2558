package dev.plumb.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.api.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An interrupted run's commands end at once, with what they were starting as the kill came. */
class ProcessCommandRunnerInterruptTest {

    @TempDir
    Path dir;

    private final ExecutorService runs = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        runs.shutdownNow();
    }

    /**
     * The kill comes while the shell is about to fork its {@code sleep}: a child forked after the command's processes
     * were listed, and before its leader died, used to outlive the kill and hold the output open until the time limit.
     * It happened in about one kill in five on a busy machine; twenty tries make a regression all but certain to show.
     */
    @Test
    void aCommandInterruptedAsItForksLeavesNothingRunning() throws Exception {
        ProcessCommandRunner runner = new ProcessCommandRunner();
        for (int attempt = 0; attempt < 20; attempt++) {
            Path started = dir.resolve("started-" + attempt);
            Future<?> run = runs.submit(() -> runner.run(Command.shell("touch '" + started + "'; sleep 60", null, Map.of(),
                    Duration.ofSeconds(30))));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(started)) {
                assertThat(System.nanoTime()).as("the command starts within 30 s").isLessThan(deadline);
                Thread.onSpinWait();
            }
            runner.interrupt();

            assertThatThrownBy(() -> run.get(10, TimeUnit.SECONDS)).as("attempt %d", attempt)
                    .hasRootCauseMessage("killed: the run was interrupted");
            runner.resume();
        }
    }
}

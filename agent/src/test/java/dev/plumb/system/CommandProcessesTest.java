package dev.plumb.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which processes a timed-out or interrupted command's kill may reach. */
class CommandProcessesTest {

    private Process leader;
    private ProcessHandle child;
    private Instant leaderStart;

    @BeforeEach
    void startACommandWithAChild() throws Exception {
        leader = new ProcessBuilder("sh", "-c", "sleep 60 & wait").start();
        leaderStart = leader.toHandle().info().startInstant().orElseThrow();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (leader.children().findAny().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        child = leader.children().findFirst().orElseThrow();
    }

    @AfterEach
    void stop() {
        child.destroyForcibly();
        leader.destroyForcibly();
    }

    @Test
    void theCommandAndWhatItStartedAreItsProcesses() {
        List<ProcessHandle> found = ProcessCommandRunner.commandProcesses(leader.pid(), leaderStart,
                Stream.of(leader.toHandle(), child), pid -> -1);

        assertThat(found).containsExactlyInAnyOrder(leader.toHandle(), child);
    }

    @Test
    void aProcessInTheSessionThatStartedBeforeTheCommandIsLeftAlone() {
        ProcessHandle older = ProcessHandle.current();

        List<ProcessHandle> found = ProcessCommandRunner.commandProcesses(leader.pid(), leaderStart,
                Stream.of(older, leader.toHandle(), child), pid -> leader.pid());

        assertThat(found).doesNotContain(older).contains(leader.toHandle(), child);
    }

    @Test
    void onceTheLeadersPidBelongsToAnotherProcessNothingIsKilled() {
        // The process now holding the leader's pid started at another time: the command's leader was reaped and the
        // pid reused, by a process whose session has the same id.
        Instant recordedStartOfTheReapedLeader = leaderStart.minus(Duration.ofMinutes(5));

        List<ProcessHandle> found = ProcessCommandRunner.commandProcesses(leader.pid(), recordedStartOfTheReapedLeader,
                Stream.of(leader.toHandle(), child), pid -> leader.pid());

        assertThat(found).isEmpty();
    }
}

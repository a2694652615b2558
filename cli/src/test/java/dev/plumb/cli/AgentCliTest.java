package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plumb agent ...} runs plumb-agent's pull verbs, with their options read by the agent's own code. */
class AgentCliTest {

    @TempDir
    Path dir;

    @Test
    void theVerbsAreTheAgentsWithTheirOptionsAndMessages() {
        InProcess run = InProcess.plumb(List.of("agent", "enroll", "--host", "web1"));

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("--server is required\nusage: plumb-agent enroll --server URL --host NAME "
                + "--token TOKEN [--state-dir DIR]\n");
    }

    @Test
    void everythingAfterTheVerbIsTheVerbsEvenWhatLooksLikeAnOptionOfPlumb() {
        InProcess run = InProcess.plumb(List.of("agent", "enroll", "--server", "https://127.0.0.1:1", "--host", "web1",
                "--token", "-hV" + "a".repeat(40) + "." + "0".repeat(64), "--state-dir", dir.resolve("state").toString()));

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("cannot fetch the CA certificate of https://127.0.0.1:1: GET "
                + "https://127.0.0.1:1/api/v1/ca: connection refused; nothing was saved\n");
        assertThat(dir.resolve("state")).doesNotExist();
    }

    @Test
    void aDryRunOfInstallPrintsTheServiceThatRunsTheAgent() {
        InProcess run = InProcess.plumb(List.of("agent", "install", "--server", "https://plumb.example.com:8443",
                "--state-dir", dir.resolve("state").toString(), "--dry-run"));

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("would write /etc/").contains(" dev.plumb.agent.AgentMain run --server "
                + "https://plumb.example.com:8443 --interval 30m --splay 5m --state-dir " + dir.resolve("state"));
    }

    @Test
    void helpListsTheVerbs() {
        InProcess run = InProcess.plumb(List.of("agent", "--help"));

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("plumb-agent run [--server URL] [--once] [--interval 30m] [--splay 5m]");
    }
}

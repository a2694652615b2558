package dev.plumb.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.catalog.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code plumb-agent session} as a controller drives it over SSH: the project's request for facts first, then the
 * facts, framed, on standard output.
 */
class AgentSessionTest {

    /** What a session printed and how it ended, its standard input having been {@code input} and then its end. */
    private record Ended(int exit, String out, String err) {
    }

    private static Ended session(String input) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process agent = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), AgentMain.class.getName(),
                "session").start();
        try (OutputStream stdin = agent.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(agent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(agent.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(agent.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Ended(agent.exitValue(), out, err);
    }

    @Test
    void theFactsPrintedHoldTheRequestedCommandFacts() throws Exception {
        String request = "{\"commands\": [{\"name\": \"greeting\", \"command\": \"echo hello-there\", \"pattern\": "
                + "\"hello-(\\\\w+)\"}], \"packages\": false}";

        Ended ended = session("request " + request.length() + "\n" + request);

        assertThat(ended.exit()).isZero();
        String header = ended.out().substring(0, ended.out().indexOf('\n'));
        String json = ended.out().substring(header.length() + 1);
        assertThat(header).isEqualTo("facts " + (json.getBytes(StandardCharsets.UTF_8).length - 1));
        assertThat(Json.MAPPER.readValue(json, Map.class)).containsEntry("greeting", "there")
                .containsKeys("hostname", "virtualization", "custom").doesNotContainKey("packages");
    }

    @Test
    void aSessionWhoseInputEndsAtOnceEndsWithoutPrinting() throws Exception {
        assertThat(session("")).isEqualTo(new Ended(0, "", ""));
    }

    @Test
    void aSessionStartedWithoutARequestSaysWhatItExpected() throws Exception {
        Ended ended = session("apply - --format json\n");

        assertThat(ended.exit()).isEqualTo(1);
        assertThat(ended.out()).isEmpty();
        assertThat(ended.err()).isEqualTo("session: cannot read the controller's request: expected a line 'request BYTES'"
                + " (at most 1048576), got 'apply - --format json'\n");
    }
}

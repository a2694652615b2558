package dev.plumb.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.catalog.Json;
import dev.plumb.facts.Facts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plumb-agent facts}: what a controller compiles this host's catalog from. */
class AgentFactsTest {

    @Test
    void factsPrintsThisHostsFactsAsJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = AgentMain.run(new String[] {"facts"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        Map<String, Object> printed = Json.MAPPER.readValue(out.toString(StandardCharsets.UTF_8), Map.class);
        Map<String, Object> facts = Facts.ofThisHost();
        assertThat(exit).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(printed.keySet()).containsAll(facts.keySet()).contains("virtualization", "custom");
        assertThat(printed).containsEntry("hostname", facts.get("hostname"))
                .containsEntry("os", facts.get("os")).containsEntry("architecture", facts.get("architecture"));
    }

    @Test
    void factsRunTheCommandsOfARequest(@TempDir Path dir) throws Exception {
        Path request = dir.resolve("request.json");
        Files.writeString(request, "{\"commands\": [{\"name\": \"shell\", \"command\": \"echo GNU bash, version 5.2.15 >&2\","
                + " \"pattern\": \"version ([0-9.]+)\"}], \"packages\": false}");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int exit = AgentMain.run(new String[] {"facts", request.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err);

        assertThat(exit).isZero();
        assertThat(Json.MAPPER.readValue(out.toString(StandardCharsets.UTF_8), Map.class)).containsEntry("shell", "5.2.15")
                .doesNotContainKey("packages");
    }

    @Test
    void aRequestThatIsNoRequestIsRefused(@TempDir Path dir) throws Exception {
        Path request = dir.resolve("request.json");
        Files.writeString(request, "[1, 2]");
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = AgentMain.run(new String[] {"facts", request.toString()}, System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith(request + ": not a request for facts: ");
    }

    @Test
    void theUsageNamesFacts() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        AgentMain.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("plumb-agent facts [REQUEST.json|-]\n");
    }
}

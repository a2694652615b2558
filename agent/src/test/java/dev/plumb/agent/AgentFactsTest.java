package dev.plumb.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.catalog.Json;
import dev.plumb.facts.Facts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
        assertThat(printed).containsOnlyKeys(facts.keySet()).containsEntry("hostname", facts.get("hostname"))
                .containsEntry("os", facts.get("os")).containsEntry("architecture", facts.get("architecture"));
    }

    @Test
    void theUsageNamesFacts() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        AgentMain.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("plumb-agent facts\n");
    }
}

package dev.plumb.agent;

import static dev.plumb.Fixtures.content;
import static dev.plumb.Fixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.Nobody;
import dev.plumb.catalog.Catalog;
import dev.plumb.catalog.CatalogCheck;
import dev.plumb.catalog.HostInfo;
import dev.plumb.catalog.Json;
import dev.plumb.catalog.RunReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent runs a catalog's checks after apply and check, and its exit code and report account for them. */
class AgentChecksTest {

    @TempDir
    Path dir;

    @BeforeEach
    void everyUserMayEnterTheTestDirectory() throws IOException {
        // Check evidence shows the content only of a file every user could read, through every directory above it.
        Nobody.canEnter(dir);
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Catalog catalog, String... args) throws IOException {
        Path file = Files.write(dir.resolve("catalog.json"), Json.MAPPER.writeValueAsBytes(catalog));
        out.reset();
        err.reset();
        String[] all = Stream.concat(Stream.of(args[0], file.toString(), "--state-dir", dir.resolve("state").toString()),
                Stream.of(args).skip(1)).toArray(String[]::new);
        return AgentMain.run(all, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A file resource and two checks on it: one that holds once it is applied, one that never does. */
    private Catalog catalog(boolean failing) {
        Path motd = dir.resolve("motd");
        List<CatalogCheck> checks = List.of(new CatalogCheck("file", motd.toString(), Map.of("contains", "hello")),
                new CatalogCheck("command", "test -s " + motd, Map.of("name", "motd is not empty")),
                new CatalogCheck("file", motd.toString(), Map.of("contains", failing ? "goodbye" : "hello", "name", "farewell")));
        return new Catalog(Catalog.VERSION, new HostInfo("local", "dev", List.of()),
                List.of(resource("file", motd.toString(), content("hello\n"))), checks);
    }

    @Test
    void applyRunsTheChecksAfterConvergingAndAFailingCheckFailsTheRun() throws IOException {
        assertThat(run(catalog(true), "apply")).isEqualTo(6);
        assertThat(out()).contains("local: 1 resources, 1 changed, 0 failed", "ok file[" + dir.resolve("motd") + "]\n",
                "ok motd is not empty (command[test -s " + dir.resolve("motd") + "])\n",
                "! farewell (file[" + dir.resolve("motd") + "]) check failed\n    contains: expected 'goodbye', got content "
                        + "without it (6 bytes)\n    | first lines of " + dir.resolve("motd") + ":\n    |   hello\n")
                .containsPattern("local: 3 checks, 2 passed, 1 failed \\(\\d+ ms\\)\n$");

        assertThat(run(catalog(true), "apply")).as("nothing to change, a check still failing").isEqualTo(4);
        assertThat(run(catalog(false), "check")).isZero();
        assertThat(out()).containsPattern("local: 3 checks, 3 passed, 0 failed");
    }

    @Test
    void checksDoNotRunInAPlanOrWithNoChecks() throws IOException {
        assertThat(run(catalog(true), "plan")).isEqualTo(2);
        assertThat(out()).doesNotContain("checks");
        assertThat(run(catalog(true), "apply", "--no-checks")).isEqualTo(2);
        assertThat(out()).doesNotContain("checks");
    }

    @Test
    void theReportKeepsTheCheckResults() throws IOException {
        run(catalog(true), "check", "--format", "json");
        RunReport report = Json.MAPPER.readValue(out(), RunReport[].class)[0];
        assertThat(report.checks().checks()).isEqualTo(3);
        assertThat(report.checks().results().get(0).attempts()).isEqualTo(1);
        try (Stream<Path> saved = Files.list(dir.resolve("state/reports"))) {
            assertThat(Files.readString(saved.findFirst().orElseThrow())).contains("\"checks\" : {", "\"status\" : \"FAILED\"");
        }
    }

    @Test
    void nagiosOutputHasThePluginsExitCodes() throws IOException {
        run(catalog(false), "apply");
        assertThat(run(catalog(false), "check", "--format", "nagios")).isZero();
        assertThat(out()).matches("PLUMB OK - 3 checks passed, no drift \\| checks=3 failed=0 drift=0 time=\\d+\\.\\d{3}s\n");
        Files.writeString(dir.resolve("motd"), "hello, edited by hand\n");
        assertThat(run(catalog(false), "check", "--format", "nagios")).isEqualTo(1);
        assertThat(out()).startsWith("PLUMB WARNING - 3 checks passed, 1 resource drifted | checks=3 failed=0 drift=1 time=")
                .contains("\n~ file[" + dir.resolve("motd") + "]: content changed\n");
        assertThat(run(catalog(true), "check", "--format", "nagios")).isEqualTo(2);
        assertThat(out()).startsWith("PLUMB CRITICAL - 1 of 3 checks failed (file[" + dir.resolve("motd") + "]), 1 resource drifted");
    }

    @Test
    void anInvalidCheckIsRefusedBeforeAnythingRuns() throws IOException {
        Catalog invalid = new Catalog(Catalog.VERSION, new HostInfo("local", "dev", List.of()),
                List.of(resource("file", dir.resolve("motd").toString(), content("hello\n"))),
                List.of(new CatalogCheck("port", "70000", Map.of()), new CatalogCheck("http", "http://x/", Map.of("statuz", 200))));
        assertThat(run(invalid, "apply")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).endsWith("invalid catalog, nothing was changed:\n"
                + "check port[70000]: '70000' is not a port; expected a number from 1 to 65535\n"
                + "check http[http://x/]: unknown attributes [statuz] for a http check\n");
        assertThat(dir.resolve("motd")).doesNotExist();
        assertThat(run(invalid, "check", "--format", "nagios")).isEqualTo(3);
        assertThat(out()).startsWith("PLUMB UNKNOWN - ");
    }

    @Test
    void aCatalogWithoutChecksIsWrittenAsBefore() throws IOException {
        Catalog plain = new Catalog(Catalog.VERSION, new HostInfo("local", "dev", List.of()), List.of());
        assertThat(Json.MAPPER.writeValueAsString(plain)).doesNotContain("checks");
        assertThat(Json.MAPPER.readValue("{\"version\": 1, \"host\": {\"name\": \"local\", \"groups\": []}, \"resources\": []}",
                Catalog.class).checks()).isEmpty();
        Catalog withChecks = catalog(true);
        assertThat(Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(withChecks), Catalog.class)).isEqualTo(withChecks);
    }
}

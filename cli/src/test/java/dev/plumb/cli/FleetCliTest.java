package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.catalog.Json;
import dev.plumb.compiler.ProjectFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A command over several hosts: each ends on its own, the output keeps the inventory's order, and a table ends it. */
class FleetCliTest {

    @TempDir
    Path dir;

    private ProjectFiles project;
    private Path target;

    @BeforeEach
    void project() throws Exception {
        target = Files.createDirectory(dir.resolve("target"));
        // Port 1 of loopback refuses connections at once: a host that cannot be reached, whatever the transport.
        project = new ProjectFiles(Files.createDirectory(dir.resolve("project")))
                .role("resources:\n  - file: " + target + "/motd\n    content: \"hello\\n\"\n")
                .write("inventory.yaml", """
                        groups:
                          all: { roles: [main] }
                        hosts:
                          web2: { address: 127.0.0.1, port: 1, groups: [all] }
                          local: { connection: local, groups: [all] }
                          web1: { address: 127.0.0.1, port: 1, groups: [all] }
                        """);
    }

    private InProcess plumb(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-p", project.directory().toString()));
        if (!args[0].equals("bootstrap")) {
            all.addAll(List.of("--state-dir", dir.resolve("state").toString()));
        }
        return InProcess.plumb(all);
    }

    @Test
    void unreachableHostsFailAloneAndATableOfEveryHostEndsTheOutput() {
        InProcess run = plumb("apply", "--parallel", "2");

        assertThat(run.exit()).isEqualTo(6);
        assertThat(target.resolve("motd")).hasContent("hello");
        List<String> table = run.out().substring(run.out().lastIndexOf("\nhost ") + 1).lines().toList();
        assertThat(table).hasSize(4);
        assertThat(table.get(0)).matches("host +result +changed +failed +checks +time +error");
        assertThat(table.get(1)).matches("web2 +error +0 +1 +- +\\d+\\.\\d s +\\S.*");
        assertThat(table.get(2)).matches("local +changed +1 +0 +- +\\d+\\.\\d s");
        assertThat(table.get(3)).startsWith("web1 ").contains(" error ");
        // Not a terminal: one plain line per host on standard error, as in a CI log.
        assertThat(run.err().lines()).hasSize(3).anyMatch(line -> line.matches("apply local: 1 changed, 0 failed \\(\\d+\\.\\d s\\)"))
                .anyMatch(line -> line.startsWith("apply web1: error: "));
    }

    @Test
    void machineFormatsListTheHostsInInventoryOrderWhateverOrderTheyEndIn() {
        InProcess run = plumb("plan", "--format", "json", "--parallel", "3");

        assertThat(run.exit()).isEqualTo(6);
        List<Map<String, Object>> reports = Json.MAPPER.readValue(run.out(), List.class);
        assertThat(reports).extracting(report -> report.get("host")).containsExactly("web2", "local", "web1");
    }

    @Test
    void aSingleHostShowsNoProgressAndNoTable() {
        InProcess run = plumb("apply", "--hosts", "local");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).doesNotContain("result").containsPattern("local: 1 resources, 1 changed, 0 failed \\(\\d+ ms\\)\n$");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void parallelMustBeAtLeastOneAndNothingChangesOtherwise() {
        InProcess run = plumb("apply", "--parallel", "0");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("plumb: --parallel takes a number of hosts from 1, got 0\n");
        assertThat(target.resolve("motd")).doesNotExist();
    }

    @Test
    void bootstrapSaysPerHostWhatItDidAndFailsForTheHostsItCannotReach() {
        InProcess run = plumb("bootstrap");

        assertThat(run.exit()).isEqualTo(4);
        assertThat(run.out().lines()).hasSize(3).anyMatch(line -> line.matches("local: nothing to do: plumb runs here, on Java \\d+"))
                .anyMatch(line -> line.startsWith("web1: failed: ")).anyMatch(line -> line.startsWith("web2: failed: "));
        assertThat(plumb("bootstrap", "--hosts", "local").exit()).isZero();
    }
}

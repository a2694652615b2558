package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.catalog.Json;
import dev.plumb.compiler.ProjectFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plumb facts HOST} asks the host's transport, as a run compiles the host's catalog from them. */
class FactsCliTest {

    @TempDir
    Path dir;

    @Test
    void factsOfAHostThatRefusesTheConnectionSayWhy() {
        ProjectFiles project = new ProjectFiles(dir).role("resources: []\n").write("inventory.yaml", """
                groups:
                  all: { roles: [main] }
                hosts:
                  web1: { address: 127.0.0.1, port: 1, groups: [all] }
                """);

        InProcess run = InProcess.plumb(List.of("facts", "-p", project.directory().toString(), "web1"));

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("plumb: web1: not reachable: connection refused (" + System.getProperty("user.name")
                + "@127.0.0.1 port 1)\n");
    }

    @Test
    void factsOfALocalHostAreThisMachines() {
        ProjectFiles project = new ProjectFiles(dir).role("resources: []\n");

        InProcess withHost = InProcess.plumb(List.of("facts", "-p", project.directory().toString(), "local"));
        InProcess withoutHost = InProcess.plumb(List.of("facts"));

        assertThat(withHost.exit()).isZero();
        assertThat(withHost.out()).contains("\"hostname\"").isEqualTo(withoutHost.out());
    }

    private static final String MARKER_FACT = "name: test\nenvironments: [dev, prod]\nfacts:\n  marker:\n"
            + "    command: \"cat %s\"\n    pattern: \"token-([0-9a-z]+)\"\n";

    @Test
    void factsOfAHostOfTheProjectHoldItsOwnFacts() throws Exception {
        Path marker = Files.writeString(dir.resolve("marker"), "token-abc123\n");
        ProjectFiles project = new ProjectFiles(dir.resolve("project")).role("resources: []\n")
                .write("plumb.yaml", MARKER_FACT.formatted(marker));

        InProcess run = InProcess.plumb(List.of("facts", "-p", project.directory().toString(), "local"));

        assertThat(run.exit()).isZero();
        assertThat(Json.MAPPER.readValue(run.out(), Map.class)).containsEntry("marker", "abc123")
                .containsKeys("virtualization", "custom", "packages");
    }

    @Test
    void validateRunsTheProjectsFactsHereAndSaysOnceWhichFailed() throws Exception {
        ProjectFiles project = new ProjectFiles(dir.resolve("project")).role("resources: []\n")
                .write("plumb.yaml", MARKER_FACT.formatted(dir.resolve("missing")))
                .write("inventory.yaml", "groups:\n  all: { roles: [main] }\nhosts:\n"
                        + "  web1: { address: 192.0.2.1, groups: [all] }\n  web2: { address: 192.0.2.2, groups: [all] }\n");

        InProcess run = InProcess.plumb(List.of("validate", "-p", project.directory().toString()));

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("plumb.yaml:4:3: fact marker failed on this machine: command 'cat "
                + dir.resolve("missing") + "' exited 1: cat: " + dir.resolve("missing") + ": No such file or directory\n1 problem found; nothing was changed.\n");
    }
}

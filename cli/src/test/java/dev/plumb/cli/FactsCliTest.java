package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.compiler.ProjectFiles;
import java.nio.file.Path;
import java.util.List;
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
}

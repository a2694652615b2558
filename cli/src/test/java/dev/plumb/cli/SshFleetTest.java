package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.compiler.ProjectFiles;
import dev.plumb.transport.ssh.SshTestHosts;
import dev.plumb.transport.ssh.TestAgentJar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plumb apply} over SSH as an operator runs it: five real OpenSSH hosts, each with its own hostname and its
 * own /srv, converged at once with content templated from each host's own facts, then a host that cannot be
 * reached beside them; the second run changes nothing and sends no agent.
 */
class SshFleetTest {

    @TempDir
    static Path dir;

    private static SshTestHosts hosts;
    private static final List<SshTestHosts.Host> FLEET = new ArrayList<>();
    private static Path project;

    @BeforeAll
    static void startFiveHosts() throws Exception {
        hosts = SshTestHosts.in(Files.createDirectories(dir.resolve("hosts")));
        TestAgentJar.sentToHosts();
        for (int i = 1; i <= 5; i++) {
            FLEET.add(hosts.start("web" + i, SshTestHosts.Kind.PLAIN));
        }
        project = new ProjectFiles(Files.createDirectories(dir.resolve("project")))
                .role("resources:\n  - file: /srv/motd\n    content: \"{{ greeting }} from {{ facts.hostname }} ({{ host.name }})\\n\"\n")
                .write("inventory.yaml", "groups:\n  all: { roles: [main], identity: " + hosts.clientKey()
                        + ", vars: { greeting: hello } }\nhosts:\n"
                        + FLEET.stream().map(host -> "  " + host.name() + ": { address: " + host.address()
                        + ", groups: [all] }\n").collect(Collectors.joining())
                        + "  gone: { address: 127.0.0.1, port: 1, groups: [all] }\n")
                // The project's own known_hosts: this test never touches the user's ~/.ssh.
                .write("known_hosts", FLEET.stream().map(host -> host.address() + " " + host.publicKey() + "\n")
                        .collect(Collectors.joining()))
                .directory();
    }

    @AfterAll
    static void stopHosts() throws Exception {
        if (hosts != null) {
            hosts.close();
        }
    }

    private static InProcess plumb(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-p", project.toString(), "--state-dir", dir.resolve("state").toString()));
        return InProcess.plumb(all);
    }

    @Test
    void fiveHostsConvergeAtOnceEachFromItsOwnFactsAndASecondRunChangesNothingAndSendsNoAgent() throws Exception {
        InProcess first = plumb("apply", "--parallel", "6");

        assertThat(first.exit()).as(first.all()).isEqualTo(6);
        for (SshTestHosts.Host host : FLEET) {
            assertThat(host.path("/srv/motd")).hasContent("hello from " + host.name() + " (" + host.name() + ")");
            assertThat(first.out()).containsPattern("\n" + host.name() + " +changed +1 +0 ");
            assertThat(dir.resolve("state/hosts/" + host.name() + "/reports")).isNotEmptyDirectory();
        }
        assertThat(first.out()).containsPattern("\ngone +error +0 +1 +- +\\S+ s +not reachable: connection refused");
        assertThat(first.err().lines().filter(line -> line.startsWith("apply "))).hasSize(6);
        int uploads = TestAgentJar.uploads();

        InProcess second = plumb("apply", "--hosts", "web*");

        assertThat(second.exit()).as(second.all()).isZero();
        for (SshTestHosts.Host host : FLEET) {
            assertThat(second.out()).containsPattern("\n" + host.name() + " +ok +0 +0 ");
        }
        assertThat(TestAgentJar.uploads()).as("no agent sent again").isEqualTo(uploads);
    }

    @Test
    void factsOfAHostAreGatheredOnThatHost() {
        InProcess facts = InProcess.plumb(List.of("facts", "web4", "-p", project.toString()));

        assertThat(facts.exit()).as(facts.err()).isZero();
        assertThat(facts.out()).contains("\"hostname\" : \"web4\"");
        InProcess gone = InProcess.plumb(List.of("facts", "gone", "-p", project.toString()));
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err()).startsWith("plumb: gone: not reachable: connection refused");
    }
}

package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.testhosts.SystemdHost;
import dev.plumb.transport.ssh.TestAgentJar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two whole Debian servers with systemd as PID 1, reached over SSH as a fleet: one role installs a package from a
 * .deb, creates its user, renders its configuration, starts and enables its systemd service, restarts it once when
 * the configuration changes; a service stopped by hand is drift that check reports and apply repairs. The steps
 * build on each other, in order, on the same two hosts.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SystemdFleetTest {

    @TempDir
    static Path dir;

    private static SystemdHost web1;
    private static SystemdHost web2;
    private static Path project;

    @BeforeAll
    static void bootTwoServers() throws Exception {
        SystemdHost.assumeBootable();
        TestAgentJar.sentToHosts();
        Path key = dir.resolve("id_ed25519");
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())
                .redirectErrorStream(true).start();
        assertThat(keygen.waitFor()).as(new String(keygen.getInputStream().readAllBytes())).isZero();
        String publicKey = Files.readString(dir.resolve("id_ed25519.pub"));
        web1 = SystemdHost.bootWithSsh("plumbtest-web1", "127.0.0.61", publicKey);
        web2 = SystemdHost.bootWithSsh("plumbtest-web2", "127.0.0.62", publicKey);
        project = Files.createDirectories(dir.resolve("project"));
        Path example = Path.of("..", "examples", "service").toAbsolutePath().normalize();
        Files.createDirectories(project.resolve("files"));
        Files.copy(example.resolve("files/plumb-demo_1.0_all.deb"), project.resolve("files/plumb-demo_1.0_all.deb"));
        Files.createDirectories(project.resolve("templates"));
        Files.copy(example.resolve("templates/demo.conf.j2"), project.resolve("templates/demo.conf.j2"));
        Files.writeString(project.resolve("plumb.yaml"), "name: fleet\n");
        Files.writeString(project.resolve("known_hosts"), "127.0.0.61 " + web1.sshHostKey() + "\n127.0.0.62 "
                + web2.sshHostKey() + "\n");
        Files.writeString(project.resolve("inventory.yaml"), """
                groups:
                  demo: { roles: [demo], user: root, identity: %s }
                hosts:
                  web1: { address: 127.0.0.61, groups: [demo] }
                  web2: { address: 127.0.0.62, groups: [demo] }
                """.formatted(key));
        Files.createDirectories(project.resolve("roles"));
        Files.writeString(project.resolve("roles/demo.yaml"), """
                vars:
                  message: hello from plumb
                  interval: 1
                resources:
                  - group: plumb-demo
                    system: true
                  - user: plumb-demo
                    system: true
                    group: plumb-demo
                    home: /var/lib/plumb-demo
                    shell: /usr/sbin/nologin
                  - package: plumb-demo
                    source: plumb-demo_1.0_all.deb
                  - directory: /etc/plumb-demo
                  - file: /etc/plumb-demo/demo.conf
                    template: demo.conf.j2
                    mode: "0644"
                    notify: service:plumb-demo
                  - directory: /var/lib/plumb-demo
                    owner: plumb-demo
                    group: plumb-demo
                    mode: "0750"
                  - service: plumb-demo
                    running: true
                    enabled: true
                    requires: [directory:/var/lib/plumb-demo, package:plumb-demo]
                checks:
                  - file: /var/lib/plumb-demo/heartbeat
                    name: the daemon writes the configured message
                    contains: " {{ message }}"
                    retries: 40
                    interval: 250ms
                """);
    }

    @AfterAll
    static void haltServers() throws Exception {
        for (SystemdHost host : new SystemdHost[] {web1, web2}) {
            if (host != null) {
                host.close();
            }
        }
    }

    private static InProcess plumb(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-p", project.toString(), "--state-dir", dir.resolve("state").toString()));
        return InProcess.plumb(all);
    }

    private static String inside(SystemdHost host, String... command) throws Exception {
        return host.exec(command).output().strip();
    }

    /** How many times systemd has started the service since the host booted. */
    private static long starts(SystemdHost host) throws Exception {
        return inside(host, "journalctl", "-u", "plumb-demo.service", "-o", "cat", "--no-pager").lines()
                .filter(line -> line.startsWith("Started ")).count();
    }

    @Test
    @Order(1)
    void eachServerShowsItsOwnFacts() {
        InProcess run = InProcess.plumb(List.of("facts", "web1", "-p", project.toString()));

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("\"hostname\" : \"plumbtest-web1\"").contains("\"init_system\" : \"systemd\"");
    }

    @Test
    @Order(2)
    void theRoleConvergesBothServersAndTheirServicesRun() throws Exception {
        InProcess run = plumb("apply");

        assertThat(run.exit()).as(run.all()).isEqualTo(2);
        for (SystemdHost host : List.of(web1, web2)) {
            assertThat(inside(host, "systemctl", "is-active", "plumb-demo")).isEqualTo("active");
            assertThat(inside(host, "systemctl", "is-enabled", "plumb-demo")).isEqualTo("enabled");
            assertThat(inside(host, "dpkg-query", "-W", "-f", "${Version}", "plumb-demo")).isEqualTo("1.0");
            assertThat(inside(host, "id", "-un", "plumb-demo")).isEqualTo("plumb-demo");
            assertThat(Files.readString(host.root().resolve("etc/plumb-demo/demo.conf")))
                    .contains("MESSAGE=\"hello from plumb\"");
            assertThat(starts(host)).isEqualTo(1);
        }
        assertThat(run.out()).containsPattern("web1 +changed .* 1/1 ").containsPattern("web2 +changed .* 1/1 ");
    }

    @Test
    @Order(3)
    void aSecondApplyChangesNothing() {
        InProcess run = plumb("apply");

        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(run.out()).containsPattern("web1 +ok +0 +0 +1/1").containsPattern("web2 +ok +0 +0 +1/1");
    }

    @Test
    @Order(4)
    void aChangedConfigurationRestartsTheServiceOnce() throws Exception {
        InProcess run = plumb("apply", "--var", "message=configured again");

        assertThat(run.exit()).as(run.all()).isEqualTo(2);
        for (SystemdHost host : List.of(web1, web2)) {
            assertThat(starts(host)).isEqualTo(2);
            assertThat(Files.readString(host.root().resolve("var/lib/plumb-demo/heartbeat"))).contains(" configured again");
        }
    }

    @Test
    @Order(5)
    void aServiceStoppedByHandIsDriftThatCheckReportsAndApplyRepairs() throws Exception {
        web1.exec("systemctl", "stop", "plumb-demo");

        InProcess check = plumb("check", "--var", "message=configured again", "--no-checks");
        assertThat(check.exit()).as(check.all()).isEqualTo(2);
        assertThat(check.out()).contains("~ service[plumb-demo]").containsPattern("web1 +drifted +1 ").containsPattern("web2 +ok ");
        assertThat(inside(web1, "systemctl", "is-active", "plumb-demo")).isNotEqualTo("active");

        InProcess apply = plumb("apply", "--var", "message=configured again");
        assertThat(apply.exit()).as(apply.all()).isEqualTo(2);
        assertThat(inside(web1, "systemctl", "is-active", "plumb-demo")).isEqualTo("active");
        assertThat(apply.out()).containsPattern("web1 +changed +1 +0 +1/1").containsPattern("web2 +ok +0 +0 +1/1");
    }
}

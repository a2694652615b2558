package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/ntp (geerlingguy.ntp ported) applied over SSH to a Debian 12 server with systemd as PID 1, where ntpsec is
 * installed but not running: Debian 12's variables are chosen, the daemon runs listening on loopback only (the server
 * shares this machine's network), following a server that never answers (the test host may not set this machine's
 * clock anyway), a second apply changes nothing, changed servers restart the daemon once, and a role that no longer
 * manages the configuration leaves it alone. The steps build on each other, in order, on one server.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NtpExampleTest {

    private static final String ADDRESS = "127.0.0.84";
    private static final String CONFIG = "/etc/ntpsec/ntp.conf";

    @TempDir
    static Path dir;

    private static ExampleOnHost server;

    @BeforeAll
    static void boot() throws Exception {
        server = ExampleOnHost.boot(dir, "ntp", ADDRESS,
                "{ ntp_interfaces: [127.0.0.1], ntp_servers: [\"198.51.100.123 iburst\"] }");
    }

    @AfterAll
    static void halt() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static String daemonPid() throws Exception {
        return server.inside("systemctl", "show", "--property=MainPID", "--value", "ntpsec");
    }

    @Test
    @Order(1)
    void theFirstApplyConvergesAndTheDaemonListensOnLoopbackOnly() throws Exception {
        InProcess run = server.plumb("apply");

        assertThat(run.exit()).as(run.all()).isEqualTo(2);
        assertThat(run.out()).contains("~ file[" + CONFIG + "]").contains("~ service[ntpsec]\n    start service")
                .contains("server: 6 resources, ").contains("server: 4 checks, 4 passed, 0 failed");
        assertThat(server.file(CONFIG)).contains("# Managed by plumb (examples/ntp)").contains("driftfile /var/lib/ntpsec/ntp.drift")
                .contains("\nserver 198.51.100.123 iburst\n").contains("interface ignore wildcard\ninterface listen 127.0.0.1\n");
        assertThat(server.inside("systemctl", "is-active", "ntpsec")).isEqualTo("active");
        assertThat(server.inside("systemctl", "is-enabled", "ntpsec")).isEqualTo("enabled");
        assertThat(server.inside("readlink", "/etc/localtime")).isEqualTo("/usr/share/zoneinfo/Etc/UTC");
        Process ss = new ProcessBuilder("ss", "-Hulpn", "sport = :123").redirectErrorStream(true).start();
        assertThat(new String(ss.getInputStream().readAllBytes()).lines().filter(line -> line.contains("\"ntpd\"")))
                .as("ntpd's sockets").isNotEmpty().allMatch(line -> line.contains("127.0.0.1:123") || line.contains("[::1]:123"));
    }

    @Test
    @Order(2)
    void aSecondApplyChangesNothing() {
        InProcess run = server.plumb("apply");

        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(run.out()).contains("server: 6 resources, 0 changed, 0 failed").contains("server: 4 checks, 4 passed, 0 failed");
    }

    @Test
    @Order(3)
    void changedServersRestartTheDaemonOnce() throws Exception {
        String pid = daemonPid();

        InProcess run = server.plumb("apply", "--var", "ntp_servers=[\"198.51.100.124 iburst\"]");

        assertThat(run.exit()).as(run.all()).isEqualTo(2);
        assertThat(run.out()).contains("~ service[ntpsec]\n    restart (notified by file[" + CONFIG + "])");
        assertThat(server.file(CONFIG)).contains("\nserver 198.51.100.124 iburst\n").doesNotContain("198.51.100.123");
        assertThat(daemonPid()).isNotEqualTo(pid);
        assertThat(server.inside("systemctl", "is-active", "ntpsec")).isEqualTo("active");
    }

    @Test
    @Order(4)
    void aRoleThatNoLongerManagesTheConfigurationLeavesItAlone() throws Exception {
        String before = server.file(CONFIG);

        InProcess run = server.plumb("apply", "--var", "ntp_manage_config=false");

        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(run.out()).contains("server: 4 resources, 0 changed, 0 failed").contains("server: 3 checks, 3 passed, 0 failed");
        assertThat(server.file(CONFIG)).isEqualTo(before);
    }
}

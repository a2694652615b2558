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
 * examples/ssh-hardening (dev-sec's ssh_hardening ported) applied over SSH to a Debian 12 server with systemd as PID 1,
 * hardening the very sshd plumb reaches it through, on the server's own address 127.0.0.83: the first apply
 * converges and {@code sshd -T} shows the hardened settings, plumb still gets in for a second apply that changes
 * nothing, a configuration sshd refuses never goes live (and plumb still gets in), and a changed setting restarts
 * sshd once. sshd_config is root's alone (0600), so sshd's complaint about it is not shown. The steps build on each other, in order, on one server.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SshHardeningExampleTest {

    private static final String ADDRESS = "127.0.0.83";
    private static final String CONFIG = "/etc/ssh/sshd_config";

    @TempDir
    static Path dir;

    private static ExampleOnHost server;

    @BeforeAll
    static void boot() throws Exception {
        // The test host has an ed25519 host key only, and listens on its own address.
        server = ExampleOnHost.boot(dir, "ssh-hardening", ADDRESS,
                "{ ssh_listen_to: [" + ADDRESS + "], ssh_host_key_files: [/etc/ssh/ssh_host_ed25519_key] }");
    }

    @AfterAll
    static void halt() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static String sshdPid() throws Exception {
        return server.inside("systemctl", "show", "--property=MainPID", "--value", "ssh");
    }

    @Test
    @Order(1)
    void theFirstApplyHardensSshdAsSshdItselfSays() throws Exception {
        // Debian 12's moduli are all long enough: one short group, as older releases shipped, for the role to remove.
        server.inside("sh", "-c", "echo '20230101000000 2 6 100 1535 2 C7' >> /etc/ssh/moduli");

        InProcess run = server.plumb("apply");

        assertThat(run.exit()).as(run.all()).isEqualTo(2);
        assertThat(run.out()).contains("~ file[" + CONFIG + "]").contains("~ exec[remove short Diffie-Hellman moduli]")
                .contains("~ service[ssh]\n    restart (notified by file[" + CONFIG + "], exec[remove short Diffie-Hellman moduli])")
                .contains("server: 13 checks, 13 passed, 0 failed");
        assertThat(server.inside("sshd", "-T").lines()).contains("permitrootlogin without-password",
                "passwordauthentication no", "maxauthtries 2", "x11forwarding no", "allowtcpforwarding no",
                "kexalgorithms sntrup761x25519-sha512@openssh.com,curve25519-sha256@libssh.org,"
                        + "diffie-hellman-group-exchange-sha256", "listenaddress " + ADDRESS + ":22");
        assertThat(server.inside("stat", "-c", "%a %U", CONFIG)).isEqualTo("600 root");
        assertThat(server.inside("awk", "$1 !~ /^#/ && $5 < 2047", "/etc/ssh/moduli")).isEmpty();
    }

    @Test
    @Order(2)
    void plumbStillGetsInAndASecondApplyChangesNothing() {
        InProcess run = server.plumb("apply");

        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(run.out()).contains("server: 4 resources, 0 changed, 0 failed").contains("server: 13 checks, 13 passed, 0 failed");
    }

    @Test
    @Order(3)
    void aConfigurationSshdRefusesNeverGoesLive() throws Exception {
        String before = server.file(CONFIG);
        String pid = sshdPid();

        InProcess run = server.plumb("apply", "--var", "sshd_log_level=LOUD");

        assertThat(run.exit()).as(run.all()).isEqualTo(4);
        assertThat(run.out()).contains("! file[" + CONFIG + "] failed: validate: '/usr/sbin/sshd -t -f %s' rejected the "
                + "new content (exit 255); the file was left as it was (output not shown: the content is secret)");
        assertThat(server.file(CONFIG)).isEqualTo(before);
        assertThat(server.inside("systemctl", "is-active", "ssh")).isEqualTo("active");
        assertThat(sshdPid()).isEqualTo(pid);
        InProcess after = server.plumb("apply");
        assertThat(after.exit()).as("plumb still gets in: " + after.all()).isZero();
    }

    @Test
    @Order(4)
    void aChangedSettingRestartsSshdOnce() throws Exception {
        String pid = sshdPid();

        InProcess run = server.plumb("apply", "--var", "ssh_max_auth_retries=3");

        assertThat(run.exit()).as(run.all()).isEqualTo(2);
        assertThat(run.out()).contains("~ service[ssh]\n    restart (notified by file[" + CONFIG + "])")
                .contains("server: 13 checks, 13 passed, 0 failed");
        assertThat(server.inside("sshd", "-T").lines()).contains("maxauthtries 3");
        assertThat(sshdPid()).isNotEqualTo(pid);
    }
}

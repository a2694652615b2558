package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/nginx (geerlingguy.nginx ported) applied over SSH to a Debian server with systemd as PID 1, where nginx is
 * installed but neither running nor enabled, listening on the server's own address 127.0.0.81: the first apply
 * converges and the page answers, the second changes nothing, a configuration nginx refuses never goes live, a
 * changed nginx.conf reloads nginx, and a restart asked in the same run as a reload wins. The steps build on each
 * other, in order, on one server.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NginxExampleTest {

    private static final String ADDRESS = "127.0.0.81";
    private static final String PAGE = "<h1>Hello from plumb's nginx example</h1>";

    @TempDir
    static Path dir;

    private static ExampleOnHost server;

    @BeforeAll
    static void boot() throws Exception {
        server = ExampleOnHost.boot(dir, "nginx", ADDRESS, "{ site_listen: \"" + ADDRESS + ":80\" }");
    }

    @AfterAll
    static void halt() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** The page as a browser on this machine gets it: the server shares this machine's network. */
    private static String page() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://"
                + ADDRESS + "/")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static String masterPid() throws Exception {
        return server.inside("cat", "/run/nginx.pid");
    }

    @Test
    @Order(1)
    void theFirstApplyConvergesAndTheSiteAnswers() throws Exception {
        InProcess run = server.plumb("apply");

        assertThat(run.exit()).as(run.all()).isEqualTo(2);
        assertThat(run.out()).contains("- file[/etc/nginx/sites-enabled/default]\n"
                        + "    remove symlink to '/etc/nginx/sites-available/default'")
                .contains("+ file[/etc/nginx/sites-enabled/example.test.conf]")
                .contains("server: 9 resources, 6 changed, 0 failed").contains("server: 3 checks, 3 passed, 0 failed");
        assertThat(server.inside("systemctl", "is-active", "nginx")).isEqualTo("active");
        assertThat(server.inside("systemctl", "is-enabled", "nginx")).isEqualTo("enabled");
        assertThat(server.file("/etc/nginx/sites-available/default")).as("the link's target stays").contains("server {");
        assertThat(server.file("/etc/nginx/nginx.conf")).contains("# Managed by plumb (examples/nginx)")
                .contains("worker_connections  1024;");
        assertThat(page()).contains(PAGE);
    }

    @Test
    @Order(2)
    void aSecondApplyChangesNothing() {
        InProcess run = server.plumb("apply");

        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(run.out()).contains("server: 9 resources, 0 changed, 0 failed")
                .contains("server: 3 checks, 3 passed, 0 failed");
    }

    @Test
    @Order(3)
    void aConfigurationNginxRefusesNeverGoesLiveAndNginxServesOn() throws Exception {
        String before = server.file("/etc/nginx/nginx.conf");
        String pid = masterPid();

        InProcess run = server.plumb("apply", "--var", "nginx_client_max_body_size=64 megabytes");

        assertThat(run.exit()).as(run.all()).isEqualTo(4);
        assertThat(run.out()).contains("! file[/etc/nginx/nginx.conf] failed: validate: 'nginx -t -c %s' rejected the new "
                + "content (exit 1); the file was left as it was:").contains("invalid number of arguments in "
                + "\"client_max_body_size\"");
        assertThat(server.file("/etc/nginx/nginx.conf")).isEqualTo(before);
        assertThat(server.inside("systemctl", "is-active", "nginx")).isEqualTo("active");
        assertThat(masterPid()).isEqualTo(pid);
        assertThat(page()).contains(PAGE);
    }

    @Test
    @Order(4)
    void aChangedNginxConfReloadsNginxWithoutRestartingIt() throws Exception {
        String pid = masterPid();

        InProcess run = server.plumb("apply", "--var", "nginx_keepalive_timeout=30s");

        assertThat(run.exit()).as(run.all()).isEqualTo(2);
        assertThat(run.out()).contains("~ service[nginx]\n    reload (notified by file[/etc/nginx/nginx.conf])");
        assertThat(server.file("/etc/nginx/nginx.conf")).contains("keepalive_timeout  30s;");
        assertThat(masterPid()).as("a reload keeps the master process").isEqualTo(pid);
        assertThat(page()).contains(PAGE);
    }

    @Test
    @Order(5)
    void aRestartAskedInTheSameRunAsAReloadWins() throws Exception {
        server.inside("ln", "-s", "/etc/nginx/sites-available/default", "/etc/nginx/sites-enabled/default");
        String pid = masterPid();

        InProcess run = server.plumb("apply");

        assertThat(run.exit()).as(run.all()).isEqualTo(2);
        assertThat(run.out()).contains("~ service[nginx]\n    restart (notified by file[/etc/nginx/nginx.conf], "
                + "file[/etc/nginx/sites-enabled/default])");
        assertThat(masterPid()).as("a restart starts a new master process").isNotEqualTo(pid);
        assertThat(page()).contains(PAGE);
    }
}

package dev.plumb.agent.pull;

import static dev.plumb.Fixtures.content;
import static dev.plumb.Fixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.plumb.RecordingRunner;
import dev.plumb.catalog.Catalog;
import dev.plumb.catalog.HostInfo;
import dev.plumb.catalog.Json;
import dev.plumb.catalog.ProjectSource;
import dev.plumb.testhosts.CommandOutput;
import dev.plumb.testhosts.SystemdHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.ObjectMapper;

/**
 * The agent enrolled and installed for real on a Debian host with systemd as PID 1 (systemd-nspawn), by plumb-agent's
 * own commands run inside it: the unit passes {@code systemd-analyze verify}, the service it starts pulls the catalog
 * from a server on this machine's loopback and applies it, and {@code systemctl stop} ends it cleanly. The sysv init
 * script, which a host without systemd gets, is run there too, by hand.
 */
class SystemdAgentServiceTest {

    private static final String HOST = "web1";

    @TempDir
    static Path keys;

    @TempDir
    static Path agent;

    private static SystemdHost host;
    /** The agent's classes and Jackson as the host sees them. */
    private static String classPath;
    private ServerStub server;

    @BeforeAll
    static void bootHost() throws Exception {
        SystemdHost.assumeBootable();
        ServerStub.makeKeys(keys);
        host = SystemdHost.boot("plumbtest-pull");
        classPath = classPathInside();
    }

    @AfterAll
    static void haltHost() throws Exception {
        if (host != null) {
            host.close();
        }
    }

    @BeforeEach
    void enroll() throws Exception {
        server = ServerStub.start(keys);
        server.catalog = Json.MAPPER.writeValueAsBytes(new Catalog(Catalog.VERSION, new HostInfo(HOST, "prod", List.of()),
                List.of(resource("file", "/root/pulled", content("from the server\n")))).from(new ProjectSource("3f2a9c1", false)));
        Files.deleteIfExists(host.root().resolve("root/pulled"));
        CommandOutput enroll = agentInHost("enroll", "--server", server.url().toString(), "--host", HOST, "--token",
                server.token(HOST));
        assertThat(enroll.exitCode()).as(enroll.output()).isZero();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void theInstalledUnitPullsTheCatalogAtOnceAndStopsCleanly() throws Exception {
        CommandOutput install = agentInHost("install", "--server", server.url().toString(), "--interval", "60m");

        assertThat(install.exitCode()).as(install.output()).isZero();
        assertThat(install.output()).isEqualTo("installed /etc/systemd/system/plumb-agent.service; plumb-agent "
                + "runs now and at every boot\n");
        CommandOutput verify = host.exec("systemd-analyze", "verify", "/etc/systemd/system/plumb-agent.service");
        assertThat(verify.exitCode()).as(verify.output()).isZero();
        assertThat(verify.output()).doesNotContain("plumb-agent");
        assertThat(host.exec("systemctl", "is-enabled", "plumb-agent.service").output()).isEqualTo("enabled\n");

        assertThat(server.awaitReport(Duration.ofSeconds(90))).as(journal()).isTrue();
        assertThat(server.stored).hasSize(1);
        assertThat(Files.readString(host.root().resolve("root/pulled"))).isEqualTo("from the server\n");

        CommandOutput stop = host.exec("systemctl", "stop", "plumb-agent.service");
        assertThat(stop.exitCode()).as(stop.output()).isZero();
        assertThat(host.exec("systemctl", "show", "--property=Result,ExecMainStatus", "plumb-agent.service").output())
                .as(journal()).isEqualTo("Result=success\nExecMainStatus=0\n");
        assertThat(journal()).contains("]: plumb-agent: web1: applied commit 3f2a9c1").contains("]: plumb-agent: stopped");
        host.exec("systemctl", "disable", "plumb-agent.service");
    }

    @Test
    void theInitScriptStartsTheAgentInTheBackgroundAndStopsIt() throws Exception {
        Path noSystemd = Files.createDirectories(agent.resolve("no-systemd"));
        ServiceInstaller.Plan plan = new ServiceInstaller(noSystemd, new RecordingRunner()).plan(agentCommand("run",
                "--server", server.url().toString(), "--interval", "60m", "--state-dir", "/var/lib/plumb"));
        Path script = host.root().resolve("etc/init.d/plumb-agent");
        Files.writeString(script, plan.content());
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));

        CommandOutput start = host.exec("/etc/init.d/plumb-agent", "start");

        assertThat(start.exitCode()).as(start.output()).isZero();
        assertThat(server.awaitReport(Duration.ofSeconds(90))).as(log()).isTrue();
        assertThat(Files.readString(host.root().resolve("root/pulled"))).isEqualTo("from the server\n");
        assertThat(host.exec("/etc/init.d/plumb-agent", "status").output()).isEqualTo("plumb-agent is running\n");
        CommandOutput stop = host.exec("/etc/init.d/plumb-agent", "stop");
        assertThat(stop.exitCode()).as(stop.output()).isZero();
        CommandOutput status = host.exec("/etc/init.d/plumb-agent", "status");
        assertThat(status.exitCode()).isEqualTo(3);
        assertThat(status.output()).isEqualTo("plumb-agent is not running\n");
        assertThat(log()).contains(" plumb-agent: web1: applied commit 3f2a9c1").endsWith(" plumb-agent: stopped\n");
    }

    private static String journal() throws IOException, InterruptedException {
        return host.exec("journalctl", "--no-pager", "-u", "plumb-agent.service").output();
    }

    private static String log() throws IOException {
        return Files.readString(host.root().resolve("var/log/plumb-agent.log"));
    }

    private static CommandOutput agentInHost(String... arguments) throws IOException, InterruptedException {
        return host.exec(agentCommand(arguments).toArray(String[]::new));
    }

    private static List<String> agentCommand(String... arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, "dev.plumb.agent.AgentMain"));
        command.addAll(List.of(arguments));
        return command;
    }

    /**
     * The agent's classes and Jackson, copied where the host sees them, as a class path inside it: the agent jar's
     * content, without depending on a packaged jar.
     */
    private static String classPathInside() throws Exception {
        List<String> entries = new ArrayList<>();
        Path classes = Path.of(PullAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path copy = agent.resolve("classes");
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, copy.resolve(classes.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        entries.add(host.inside(copy).toString());
        for (Class<?> jackson : List.of(ObjectMapper.class, JsonParser.class, JsonInclude.class)) {
            Path jar = Path.of(jackson.getProtectionDomain().getCodeSource().getLocation().toURI());
            entries.add(host.inside(Files.copy(jar, agent.resolve(jar.getFileName()))).toString());
        }
        return String.join(":", entries);
    }
}

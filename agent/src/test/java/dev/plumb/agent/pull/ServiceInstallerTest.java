package dev.plumb.agent.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.RecordingRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which service {@code install} writes, and what it runs, on a host root in a temp directory; the real thing, with
 * systemd as PID 1, is {@link SystemdAgentServiceTest}.
 */
class ServiceInstallerTest {

    private static final List<String> AGENT = List.of("/usr/lib/jvm/java-17/bin/java", "-cp", "/opt/plumb/plumb.jar",
            "dev.plumb.agent.AgentMain", "run", "--server", "https://plumb.example.com:8443", "--interval", "30m",
            "--splay", "5m");

    @TempDir
    Path root;

    private final RecordingRunner commands = new RecordingRunner();

    @Test
    void whereSystemdIsPidOneTheAgentBecomesAUnitThatStartsAtBoot() throws Exception {
        Files.createDirectories(root.resolve("run/systemd/system"));
        ServiceInstaller installer = new ServiceInstaller(root, commands);

        installer.install(installer.plan(AGENT));

        Path unit = root.resolve("etc/systemd/system/plumb-agent.service");
        assertThat(Files.readString(unit)).contains("\nExecStart=/usr/lib/jvm/java-17/bin/java -cp /opt/plumb/plumb.jar "
                + "dev.plumb.agent.AgentMain run --server https://plumb.example.com:8443 --interval 30m --splay 5m\n")
                .contains("\nKillMode=mixed\n").contains("\nWantedBy=multi-user.target\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(unit))).isEqualTo("rw-r--r--");
        assertThat(commands.lines()).containsExactly("systemctl daemon-reload", "systemctl enable plumb-agent.service",
                "systemctl restart plumb-agent.service");
    }

    @Test
    void elsewhereItBecomesAnInitScriptThatShReads() throws Exception {
        Files.createDirectories(root.resolve("usr/sbin"));
        Files.createFile(root.resolve("usr/sbin/update-rc.d"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        ServiceInstaller installer = new ServiceInstaller(root, commands);

        installer.install(installer.plan(AGENT));

        Path script = root.resolve("etc/init.d/plumb-agent");
        assertThat(Files.readString(script)).startsWith("#!/bin/sh\n### BEGIN INIT INFO\n# Provides:          plumb-agent\n")
                .contains("\nJAVA=/usr/lib/jvm/java-17/bin/java\nARGUMENTS=\"-cp /opt/plumb/plumb.jar dev.plumb.agent.AgentMain "
                        + "run --server https://plumb.example.com:8443 --interval 30m --splay 5m\"\n")
                .contains("start-stop-daemon --stop --quiet --oknodo --retry TERM/60/KILL/5");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(script))).isEqualTo("rwxr-xr-x");
        Process syntax = new ProcessBuilder("/bin/sh", "-n", script.toString()).redirectErrorStream(true).start();
        assertThat(syntax.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(syntax.exitValue()).as(new String(syntax.getInputStream().readAllBytes())).isZero();
        assertThat(commands.lines()).containsExactly("update-rc.d plumb-agent defaults", "/etc/init.d/plumb-agent restart");
    }

    @Test
    void aCommandThatFailsIsReportedWithItsOutput() throws Exception {
        Files.createDirectories(root.resolve("run/systemd/system"));
        commands.answer("systemctl restart plumb-agent.service", 1, "", "Job for plumb-agent.service failed.\n");
        ServiceInstaller installer = new ServiceInstaller(root, commands);

        assertThatThrownBy(() -> installer.install(installer.plan(AGENT))).isInstanceOf(PullException.class)
                .hasMessage("wrote /etc/systemd/system/plumb-agent.service, but systemctl restart plumb-agent.service "
                        + "failed (exit 1): Job for plumb-agent.service failed.");
    }

    @Test
    void aWordThatSystemdOrShWouldReadOtherwiseIsRefused() {
        ServiceInstaller installer = new ServiceInstaller(root, commands);

        assertThatThrownBy(() -> installer.plan(List.of("/opt/my plumb/java", "-cp", "x")))
                .isInstanceOf(PullException.class).hasMessageStartingWith("cannot write '/opt/my plumb/java' into a "
                        + "service's command line");
    }

    @Test
    void aDryRunPrintsTheServiceAndTheCommandsWithoutWritingOrRunning() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = PullCommands.run(List.of("install", "--server", "https://plumb.example.com:8443", "--interval", "10m",
                "--state-dir", root.resolve("state").toString(), "--dry-run"), new PrintWriter(out), new PrintWriter(err));

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("would write /etc/").contains(" dev.plumb.agent.AgentMain run --server "
                + "https://plumb.example.com:8443 --interval 10m --splay 5m --state-dir " + root.resolve("state"))
                .contains("would run: ");
        assertThat(root.resolve("state")).doesNotExist();
    }
}

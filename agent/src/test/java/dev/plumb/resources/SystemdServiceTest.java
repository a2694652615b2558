package dev.plumb.resources;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.plumb.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The service contract for the systemd provider, against the real systemd with a unit in
 * /etc/systemd/system. Runs only where systemd is PID 1; elsewhere {@link ServiceResourceTest} covers the
 * provider through captured {@code systemctl} output.
 */
class SystemdServiceTest extends ServiceResourceContract {

    private static final String UNIT = """
            [Unit]
            Description=plumb test daemon

            [Service]
            ExecStartPre=/bin/sh -c 'if [ -e @WORK@/fail ]; then echo "@NAME@: cannot bind 127.0.0.1:8080: Address already in use" >&2; exit 1; fi'
            ExecStartPre=/bin/sh -c 'echo start >> @WORK@/starts'
            ExecStart=/bin/sleep 1000
            ExecReload=/bin/sh -c 'echo reload >> @WORK@/reloads'

            [Install]
            WantedBy=multi-user.target
            """;

    private Path unit() {
        return Path.of("/etc/systemd/system", name + ".service");
    }

    @Override
    String provider() {
        return "systemd";
    }

    @Override
    void assumeAvailable() {
        assumeTrue("systemd".equals(Fixtures.FACTS.get("init_system")),
                "systemd is not PID 1 on this machine (no /run/systemd/system): the systemd provider is tested here "
                        + "only through captured systemctl output, in ServiceResourceTest");
        assumeTrue(Boolean.TRUE.equals(Fixtures.FACTS.get("root")), "installing a unit in /etc/systemd/system needs root");
    }

    @Override
    void install() throws IOException {
        Files.writeString(unit(), UNIT.replace("@NAME@", name).replace("@WORK@", work.toString()));
        must("systemctl daemon-reload");
    }

    @Override
    void uninstall() throws IOException {
        sh("systemctl stop " + name);
        sh("systemctl disable " + name);
        Files.deleteIfExists(unit());
        sh("systemctl daemon-reload");
        sh("systemctl reset-failed " + name);
    }

    @Override
    boolean runs() throws IOException {
        return sh("systemctl is-active --quiet " + name).succeeded();
    }

    @Override
    boolean startsAtBoot() throws IOException {
        return sh("systemctl is-enabled --quiet " + name).succeeded();
    }

    @Override
    long pid() throws IOException {
        return Long.parseLong(sh("systemctl show --property=MainPID --value " + name).stdout().strip());
    }

    @Override
    void control(String verb) throws IOException {
        must("systemctl " + verb + " " + name);
    }

    @Override
    String startFailureEvidence() {
        return "systemctl start " + name + " failed with exit code 1:\nJob for " + name + ".service failed";
    }
}

package dev.plumb.resources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.api.CommandRunner;
import dev.plumb.api.Context;
import dev.plumb.api.Services;
import dev.plumb.facts.Facts;
import dev.plumb.providers.Providers;
import dev.plumb.system.BackupStore;
import dev.plumb.testhosts.CommandOutput;
import dev.plumb.testhosts.SystemdHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The service contract for the systemd provider, against real systemd: a Debian host with systemd as PID 1, booted
 * once for the class with systemd-nspawn, a unit in its /etc/systemd/system. The engine runs here, with the host's
 * facts, and every command its provider runs (systemctl, journalctl) runs inside the host. The unit's daemon writes
 * its starts and reloads to the test's work directory, which the host sees at {@link SystemdHost#inside}.
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

    private static SystemdHost host;
    /** The host's facts, read through its root: they name systemd as its init system. */
    private static Map<String, Object> facts;

    @BeforeAll
    static void bootHost() throws Exception {
        SystemdHost.assumeBootable();
        host = SystemdHost.boot("plumbtest-systemd");
        facts = new Facts(host.root()).gather();
    }

    @AfterAll
    static void haltHost() throws Exception {
        if (host != null) {
            host.close();
        }
    }

    private Path unit() {
        return host.root().resolve("etc/systemd/system/" + name + ".service");
    }

    @Override
    String provider() {
        return "systemd";
    }

    /** Nothing left to check: {@link #bootHost} skipped the class, saying why, where no host can boot. */
    @Override
    void assumeAvailable() {
    }

    @Override
    Context context(Path backups) {
        CommandRunner commands = host.commands();
        return new Context(commands, new BackupStore(backups), Services.of(new Providers(commands, facts)), Set.of());
    }

    @Override
    void install() throws Exception {
        Files.writeString(unit(), UNIT.replace("@NAME@", name).replace("@WORK@", host.inside(work).toString()));
        must("systemctl", "daemon-reload");
    }

    @Override
    void uninstall() throws Exception {
        host.exec("systemctl", "stop", name);
        host.exec("systemctl", "disable", name);
        Files.deleteIfExists(unit());
        host.exec("systemctl", "daemon-reload");
        host.exec("systemctl", "reset-failed", name);
    }

    @Override
    boolean runs() throws Exception {
        return host.exec("systemctl", "is-active", "--quiet", name).succeeded();
    }

    @Override
    boolean startsAtBoot() throws Exception {
        return host.exec("systemctl", "is-enabled", "--quiet", name).succeeded();
    }

    @Override
    long pid() throws Exception {
        return Long.parseLong(must("systemctl", "show", "--property=MainPID", "--value", name).output().strip());
    }

    @Override
    void control(String verb) throws Exception {
        must("systemctl", verb, name);
    }

    @Override
    String startFailureEvidence() {
        return "systemctl start " + name + " failed with exit code 1:\nJob for " + name + ".service failed";
    }

    private static CommandOutput must(String... command) throws Exception {
        CommandOutput result = host.exec(command);
        assertThat(result.exitCode()).as("'%s' failed in the test host: %s", String.join(" ", command), result.output())
                .isZero();
        return result;
    }
}

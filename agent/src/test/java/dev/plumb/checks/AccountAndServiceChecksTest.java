package dev.plumb.checks;

import dev.plumb.Fixtures;
import dev.plumb.RecordingRunner;
import dev.plumb.api.CheckContext;
import dev.plumb.api.CommandRunner;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.Mismatch;
import static dev.plumb.checks.CheckFixtures.check;
import static dev.plumb.checks.CheckFixtures.problems;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.api.PreparedCheck;
import dev.plumb.api.Resource;
import dev.plumb.api.Services;
import dev.plumb.catalog.CheckResult;
import dev.plumb.providers.Providers;
import dev.plumb.system.ProcessCommandRunner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The user, group and service checks, answered by the providers their resources use. */
class AccountAndServiceChecksTest {

    private static final String SHOW = "systemctl show --property=ActiveState,UnitFileState,LoadState nginx";

    private static CheckResult run(CommandRunner commands, Map<String, Object> facts, PreparedCheck check) {
        Services services = Services.of(new Providers(commands, facts));
        return CheckFixtures.run(new CheckContext(commands, services, Clock.systemUTC()), check);
    }

    private static CheckResult onThisHost(PreparedCheck check) {
        return run(new ProcessCommandRunner(), Fixtures.FACTS, check);
    }

    private static String captured(String name) throws IOException {
        try (InputStream in = AccountAndServiceChecksTest.class.getResourceAsStream("/systemd/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void usersAndGroupsEveryDebianHostHasPassTheirChecks() {
        assertThat(onThisHost(check("user", "root", "uid", 0, "group", "root", "home", "/root")).mismatches()).isEmpty();
        assertThat(onThisHost(check("user", "nobody", "group", "nogroup")).mismatches()).isEmpty();
        assertThat(onThisHost(check("group", "root", "gid", 0)).mismatches()).isEmpty();
        assertThat(onThisHost(check("user", "plumbtest-nobody-here", "exists", false)).mismatches()).isEmpty();
    }

    @Test
    void aMissingAccountOrAnotherAttributeFailsWithWhatWasFound() {
        assertThat(onThisHost(check("user", "plumbtest-nobody-here")).mismatches())
                .containsExactly(new Mismatch("exists", "true", "false"));
        assertThat(onThisHost(check("user", "root", "uid", 5, "shell", "/bin/false", "groups", List.of("plumbtest-none")))
                .mismatches()).extracting(Mismatch::attribute).containsExactly("uid", "shell", "groups");
        assertThat(onThisHost(check("group", "root", "gid", 7)).mismatches()).containsExactly(new Mismatch("gid", "7", "0"));
        assertThat(onThisHost(check("group", "root", "exists", false)).mismatches())
                .containsExactly(new Mismatch("exists", "false", "true"));
    }

    @Test
    void aServiceIsAskedOfTheHostsInitSystem() throws IOException {
        Map<String, Object> systemd = Map.of("init_system", "systemd");
        RecordingRunner running = new RecordingRunner().answer(SHOW, 0, captured("show-nginx-active-enabled.txt"), "");
        assertThat(run(running, systemd, check("service", "nginx", "enabled", true)).mismatches()).isEmpty();
        assertThat(running.lines()).containsExactly(SHOW);

        RecordingRunner stopped = new RecordingRunner().answer(SHOW, 0, captured("show-nginx-inactive-disabled.txt"), "");
        assertThat(run(stopped, systemd, check("service", "nginx", "enabled", true)).mismatches()).containsExactly(
                new Mismatch("running", "true", "false"), new Mismatch("enabled", "true", "false"));
        assertThat(run(stopped, systemd, check("service", "nginx", "running", false)).mismatches()).isEmpty();
    }

    @Test
    void badNamesAreRefusedAtCompileTime() {
        assertThat(problems("user", "Root")).isNotEmpty();
        assertThat(problems("group", "a:b")).isNotEmpty();
        assertThat(problems("service", "nginx", "provider", "upstart")).isNotEmpty();
    }

    @Test
    void aServiceCheckRefusesANameTheServiceResourceRefusesSoThatItNeverRunsAScriptElsewhere() {
        String expected = "'../../srv/evil.sh' is not a service name; expected letters, digits and _ . @ : - such as "
                + "nginx or getty@tty1";
        assertThat(problems("service", "../../srv/evil.sh")).containsExactly(expected);
        assertThat(Fixtures.<Resource>instantiate("service", "../../srv/evil.sh", Map.of()).validate())
                .extracting(Diagnostic::summary).containsExactly(expected);
        assertThat(problems("service", "-v")).hasSize(1);
        assertThat(problems("service", "getty@tty1")).isEmpty();
    }

    @Test
    void everyCheckOfANamedThingRefusesANameItsResourceRefuses() {
        assertThat(problems("package", "../evil")).containsExactly("'../evil' is not a Debian package name; expected "
                + "lower-case letters, digits and + - . such as nginx or libssl3");
        assertThat(problems("user", "../evil")).hasSize(1);
        assertThat(problems("group", "-r")).hasSize(1);
        assertThat(problems("process", "../evil")).hasSize(1);
    }
}

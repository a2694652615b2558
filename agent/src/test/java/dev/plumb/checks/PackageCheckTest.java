package dev.plumb.checks;

import dev.plumb.Fixtures;
import dev.plumb.RecordingRunner;
import dev.plumb.api.CheckContext;
import dev.plumb.api.CommandRunner;
import dev.plumb.api.Mismatch;
import static dev.plumb.checks.CheckFixtures.check;
import static dev.plumb.checks.CheckFixtures.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.plumb.api.PreparedCheck;
import dev.plumb.api.Services;
import dev.plumb.catalog.CheckResult;
import dev.plumb.providers.Providers;
import dev.plumb.system.ProcessCommandRunner;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The package check, answered by the apt provider the package resource uses. */
class PackageCheckTest {

    private static final Map<String, Object> DEBIAN = Map.of("os", Map.of("id", "debian", "family", "debian"));
    private static final String QUERY = "dpkg-query --show --showformat=${Package}\\t${db:Status-Abbrev}\\t${Version}\\n";

    private static CheckResult run(CommandRunner commands, Map<String, Object> facts, PreparedCheck check) {
        Services services = Services.of(new Providers(commands, facts));
        return CheckFixtures.run(new CheckContext(commands, services, Clock.systemUTC()), check);
    }

    @Test
    void asksDpkgAboutThePackage() {
        RecordingRunner dpkg = new RecordingRunner().answer(QUERY + " nginx", 0, "nginx\tii \t1.22.1-9\n", "");
        assertThat(run(dpkg, DEBIAN, check("package", "nginx", "version", "1.22.1-9")).passed()).isTrue();
        assertThat(dpkg.lines()).containsExactly(QUERY + " nginx");
    }

    @Test
    void aMissingOrOtherVersionFails() {
        RecordingRunner dpkg = new RecordingRunner()
                .answer(QUERY + " nginx", 0, "nginx\tii \t1.22.1-9\n", "")
                .answer(QUERY + " apache2", 0, "apache2\trc \t2.4.62-1\n", "")
                .answer(QUERY + " nosuch", 1, "", "dpkg-query: no packages found matching nosuch\n");
        assertThat(run(dpkg, DEBIAN, check("package", "nginx", "version", "1.24.0-1")).mismatches())
                .containsExactly(new Mismatch("version", "1.24.0-1", "1.22.1-9"));
        assertThat(run(dpkg, DEBIAN, check("package", "apache2")).mismatches())
                .containsExactly(new Mismatch("installed", "true", "not installed (dpkg status rc)"));
        assertThat(run(dpkg, DEBIAN, check("package", "nosuch")).mismatches())
                .containsExactly(new Mismatch("installed", "true", "a package dpkg does not know"));
        assertThat(run(dpkg, DEBIAN, check("package", "nginx", "installed", false)).mismatches())
                .containsExactly(new Mismatch("installed", "false", "version 1.22.1-9 installed"));
    }

    @Test
    void aHostWithoutAPackageProviderFailsWithTheReason() {
        CheckResult result = run(new RecordingRunner(), Map.of("os", Map.of("id", "alpine", "family", "alpine")),
                check("package", "nginx"));
        assertThat(result.error()).isEqualTo("no package provider suits this host (os family 'alpine'); plumb manages "
                + "packages with apt/dpkg on Debian and Ubuntu");
    }

    @Test
    void dpkgItselfIsInstalledOnThisDebianHost() {
        assumeTrue(Fixtures.FACTS.get("os") instanceof Map<?, ?> os && "debian".equals(os.get("family")), "a Debian host");
        assertThat(run(new ProcessCommandRunner(), Fixtures.FACTS, check("package", "dpkg")).passed()).isTrue();
    }

    @Test
    void namesAndContradictionsAreValidated() {
        assertThat(problems("package", "Nginx", "installed", false, "version", "1.0")).isEqualTo(List.of(
                "'Nginx' is not a Debian package name; expected lower-case letters, digits and + - . such as nginx or libssl3",
                "version: has no meaning for a package that must not be installed"));
    }
}

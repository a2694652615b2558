package dev.plumb.resources;

import static dev.plumb.Fixtures.catalog;
import static dev.plumb.Fixtures.instantiate;
import static dev.plumb.Fixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.plumb.api.Change;
import dev.plumb.api.Diagnostic;
import dev.plumb.catalog.CatalogResource;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.ResourceResult;
import dev.plumb.catalog.RunReport;
import dev.plumb.catalog.Status;
import dev.plumb.testhosts.BootedHost;
import dev.plumb.testhosts.CommandOutput;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code timezone} type, applied by the real agent inside a Debian host with systemd as PID 1, whose /etc/localtime
 * and /etc/timezone are its own; each test starts from the zone Debian installs, Etc/UTC.
 */
class TimezoneResourceTest {

    @RegisterExtension
    static final BootedHost booted = new BootedHost("plumbtest-timezone");

    @BeforeEach
    void startFromUtc() throws Exception {
        setByHand("/usr/share/zoneinfo/Etc/UTC", "Etc/UTC");
    }

    private static void setByHand(String link, String name) throws Exception {
        assertThat(booted.host().exec("sh", "-c", "ln -sfn \"$0\" /etc/localtime && echo \"$1\" > /etc/timezone", link, name)
                .succeeded()).isTrue();
    }

    private static CatalogResource timezone(String name) {
        return resource("timezone", name, Map.of());
    }

    private static ResourceResult run(Mode mode, String zone) throws Exception {
        RunReport report = booted.agent().run(catalog(timezone(zone)), mode);
        return report.resources().get(0);
    }

    private static String inHost(String... command) throws Exception {
        CommandOutput output = booted.host().exec(command);
        assertThat(output.succeeded()).as(output.output()).isTrue();
        return output.output().strip();
    }

    @Test
    void setsTheZoneAndASecondApplyChangesNothing() throws Exception {
        ResourceResult first = run(Mode.APPLY, "Europe/Berlin");
        ResourceResult second = run(Mode.APPLY, "Europe/Berlin");

        assertThat(first.status()).as(first.error()).isEqualTo(Status.CHANGED);
        assertThat(first.changes()).extracting(Change.Entry::attribute, Change.Entry::before, Change.Entry::after)
                .first().isEqualTo(tuple("name", "Etc/UTC", "Europe/Berlin"));
        assertThat(first.details()).containsExactly("time zone changed 'Etc/UTC' to 'Europe/Berlin'",
                "/etc/timezone: content changed");
        assertThat(inHost("readlink", "/etc/localtime")).isEqualTo("/usr/share/zoneinfo/Europe/Berlin");
        assertThat(inHost("cat", "/etc/timezone")).isEqualTo("Europe/Berlin");
        assertThat(inHost("date", "-d", "2026-01-15T12:00Z", "+%H:%M %Z")).isEqualTo("13:00 CET");
        assertThat(second.status()).as(second.error()).isEqualTo(Status.IN_SYNC);
    }

    @Test
    void aPlanShowsTheChangeAndChangesNothing() throws Exception {
        ResourceResult plan = run(Mode.PLAN, "America/New_York");

        assertThat(plan.status()).as(plan.error()).isEqualTo(Status.WOULD_CHANGE);
        assertThat(plan.details()).containsExactly("time zone changed 'Etc/UTC' to 'America/New_York'",
                "/etc/timezone: content changed");
        assertThat(plan.diff()).contains("-Etc/UTC", "+America/New_York");
        assertThat(inHost("readlink", "/etc/localtime")).isEqualTo("/usr/share/zoneinfo/Etc/UTC");
    }

    @Test
    void aRelativeLinkAsTimedatectlWritesItThatNamesTheZoneIsInSync() throws Exception {
        setByHand("../usr/share/zoneinfo/Europe/Paris", "Europe/Paris");

        ResourceResult result = run(Mode.APPLY, "Europe/Paris");

        assertThat(result.status()).as(result.error()).isEqualTo(Status.IN_SYNC);
        assertThat(inHost("readlink", "/etc/localtime")).isEqualTo("../usr/share/zoneinfo/Europe/Paris");
    }

    @Test
    void anUnknownZoneFailsWithTheClosestOne() throws Exception {
        ResourceResult result = run(Mode.APPLY, "Europe/Berln");

        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.error()).isEqualTo("there is no time zone Europe/Berln (no /usr/share/zoneinfo/Europe/Berln); "
                + "'timedatectl list-timezones' lists them; did you mean 'Europe/Berlin'?");
        assertThat(Files.readSymbolicLink(booted.host().root().resolve("etc/localtime")).toString())
                .isEqualTo("/usr/share/zoneinfo/Etc/UTC");
    }

    @Test
    void aNameThatIsNotAZoneNameIsRejectedBeforeAnyRun() {
        assertThat(((TimezoneResource) instantiate("timezone", "../../etc/shadow", Map.of())).validate()).containsExactly(
                Diagnostic.ofAttribute("name", "'../../etc/shadow' is not a time zone name; expected words joined by /, "
                        + "such as Europe/Berlin, America/New_York or UTC"));
        assertThat(((TimezoneResource) instantiate("timezone", "Etc/GMT+5", Map.of())).validate()).isEmpty();
    }
}

package dev.plumb.resources;

import static dev.plumb.Fixtures.catalog;
import static dev.plumb.Fixtures.content;
import static dev.plumb.Fixtures.instantiate;
import static dev.plumb.Fixtures.resource;
import static dev.plumb.Fixtures.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.plumb.api.Action;
import dev.plumb.api.AttributeSchema;
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
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code systemd_unit} type against real systemd: the agent runs inside a Debian host with systemd as PID 1,
 * booted once for the class, and every unit file and systemctl command is the host's. Each test names its units
 * afresh, so none meets another's leftovers.
 */
class SystemdUnitResourceTest {

    /** A daemon that appends the unit's MESSAGE to a log file on each start. */
    private static final String UNIT = """
            [Unit]
            Description=plumb test unit

            [Service]
            Environment=MESSAGE=@MESSAGE@
            ExecStartPre=/bin/sh -c 'echo "$MESSAGE" >> @LOG@'
            ExecStart=/bin/sleep 1000

            [Install]
            WantedBy=multi-user.target
            """;

    @RegisterExtension
    static final BootedHost booted = new BootedHost("plumbtest-units");

    @TempDir
    Path work;
    private String prefix;

    @BeforeEach
    void nameUnits() {
        prefix = "plumbtest-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private String unitText(String message, String log) {
        return UNIT.replace("@MESSAGE@", message).replace("@LOG@", booted.host().inside(work.resolve(log)).toString());
    }

    private CatalogResource unit(String name, String text, Object... attributes) {
        return resource("systemd_unit", name, with(content(text), attributes));
    }

    private static CatalogResource notifying(String name, String text, String notified) {
        return resource("systemd_unit", name, List.of(), List.of(notified), content(text));
    }

    private static RunReport run(Mode mode, CatalogResource... resources) throws Exception {
        return booted.agent().run(catalog(resources), mode);
    }

    private static ResourceResult result(RunReport report, String id) {
        return report.resources().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    private static CommandOutput systemctl(String... arguments) throws Exception {
        String[] command = new String[arguments.length + 1];
        command[0] = "systemctl";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        return booted.host().exec(command);
    }

    private static String property(String unit, String property) throws Exception {
        return systemctl("show", "--property=" + property, "--value", unit).output().strip();
    }

    private Path unitFile(String name) {
        return booted.host().root().resolve("etc/systemd/system/" + name);
    }

    /** How many times systemd has reloaded its units since the host booted, as its journal says. */
    private static long reloads() throws Exception {
        return booted.host().exec("journalctl", "_PID=1", "--no-pager", "--output=cat").output().lines()
                .filter(line -> line.equals("Reloading.")).count();
    }

    @Test
    void writesAndEnablesAUnitAndASecondApplyChangesNothing() throws Exception {
        String name = prefix + ".service";
        CatalogResource declared = unit(name, unitText("v1", "log"), "enabled", true);

        RunReport first = run(Mode.APPLY, declared);
        RunReport second = run(Mode.APPLY, declared);

        ResourceResult applied = result(first, "systemd_unit:" + name);
        assertThat(applied.status()).as(applied.error()).isEqualTo(Status.CHANGED);
        assertThat(applied.changes()).extracting(Change.Entry::action, Change.Entry::attribute, Change.Entry::before,
                Change.Entry::after).containsExactly(
                        tuple(Action.CREATE, "ensure", null, "file"),
                        tuple(Action.CHANGE, "enabled", false, true));
        assertThat(Files.readString(unitFile(name))).isEqualTo(unitText("v1", "log"));
        assertThat(systemctl("is-enabled", name).output().strip()).isEqualTo("enabled");
        assertThat(property(name, "Environment")).isEqualTo("MESSAGE=v1");
        assertThat(result(second, "systemd_unit:" + name).status()).isEqualTo(Status.IN_SYNC);
    }

    @Test
    void aPlanShowsTheChangesAndChangesNothing() throws Exception {
        String name = prefix + ".service";

        RunReport plan = run(Mode.PLAN, unit(name, unitText("v1", "log"), "enabled", true));

        ResourceResult planned = result(plan, "systemd_unit:" + name);
        assertThat(planned.status()).as(planned.error()).isEqualTo(Status.WOULD_CHANGE);
        assertThat(planned.changes()).extracting(Change.Entry::text)
                .containsExactly("create file, mode 0644", "enable unit (not loaded yet)");
        assertThat(planned.diff()).contains("+Environment=MESSAGE=v1");
        assertThat(unitFile(name)).doesNotExist();
        assertThat(property(name, "LoadState")).isEqualTo("not-found");
    }

    @Test
    void changedUnitsAreReloadedOnceBeforeTheServiceTheyNotifyRestarts() throws Exception {
        String a = prefix + "-a.service";
        String b = prefix + "-b.service";
        String service = "service:" + prefix + "-a";
        CatalogResource running = resource("service", prefix + "-a", Map.of("running", true));
        run(Mode.APPLY, notifying(a, unitText("v1", "log"), service), notifying(b, unitText("v1", "other"), service), running);
        long reloadsBefore = reloads();

        RunReport changed = run(Mode.APPLY, notifying(a, unitText("v2", "log"), service),
                notifying(b, unitText("v2", "other"), service), running);

        assertThat(result(changed, service).details()).as(result(changed, service).error()).containsExactly(
                "restart (notified by systemd_unit[" + a + "], systemd_unit[" + b + "])");
        assertThat(reloads() - reloadsBefore).as("daemon-reloads for two changed units").isEqualTo(1);
        assertThat(Files.readAllLines(work.resolve("log"))).as("the restart ran the new unit").containsExactly("v1", "v2");
        assertThat(property(a, "NeedDaemonReload")).isEqualTo("no");
    }

    @Test
    void masksAndUnmasksAUnitAPackageInstalled() throws Exception {
        String name = prefix + ".service";
        Path packaged = booted.host().root().resolve("lib/systemd/system/" + name);
        Files.writeString(packaged, unitText("packaged", "log"));
        try {
            systemctl("daemon-reload");
            CatalogResource masked = resource("systemd_unit", name, Map.of("masked", true));

            RunReport mask = run(Mode.APPLY, masked);
            String stateWhenMasked = property(name, "UnitFileState");
            RunReport again = run(Mode.APPLY, masked);
            RunReport unmask = run(Mode.APPLY, resource("systemd_unit", name, Map.of("masked", false)));

            assertThat(result(mask, "systemd_unit:" + name).details()).as(result(mask, "systemd_unit:" + name).error())
                    .containsExactly("mask unit");
            assertThat(stateWhenMasked).isEqualTo("masked");
            assertThat(result(again, "systemd_unit:" + name).status()).isEqualTo(Status.IN_SYNC);
            assertThat(result(unmask, "systemd_unit:" + name).details()).containsExactly("unmask unit");
            assertThat(property(name, "UnitFileState")).isEqualTo("disabled");
            assertThat(packaged).as("the package's own unit file stays").exists();
        } finally {
            Files.deleteIfExists(packaged);
            systemctl("daemon-reload");
        }
    }

    @Test
    void anAbsentUnitIsStoppedDisabledAndRemovedThenSystemdForgetsIt() throws Exception {
        String name = prefix + ".service";
        run(Mode.APPLY, unit(name, unitText("v1", "log"), "enabled", true),
                resource("service", name, List.of("systemd_unit:" + name), List.of(), Map.of("running", true)));
        assertThat(property(name, "ActiveState")).isEqualTo("active");
        CatalogResource absent = resource("systemd_unit", name, Map.of("ensure", "absent"));

        RunReport removal = run(Mode.APPLY, absent);
        RunReport again = run(Mode.APPLY, absent);

        ResourceResult removed = result(removal, "systemd_unit:" + name);
        assertThat(removed.details()).as(removed.error()).containsExactly("stop unit", "disable unit", "remove file");
        assertThat(removed.backups()).hasSize(1);
        assertThat(unitFile(name)).doesNotExist();
        assertThat(property(name, "LoadState")).isEqualTo("not-found");
        assertThat(booted.host().root().resolve("etc/systemd/system/multi-user.target.wants/" + name)).doesNotExist();
        assertThat(result(again, "systemd_unit:" + name).status()).isEqualTo(Status.IN_SYNC);
    }

    @Test
    void aUnitSystemdCannotLoadFailsNamingTheToolThatSaysWhyAndCanStillBeRemoved() throws Exception {
        String name = prefix + ".service";

        RunReport report = run(Mode.APPLY, unit(name, "[Unit]\nDescription=no command\n\n[Service]\nType=simple\n",
                "enabled", true));
        RunReport removal = run(Mode.APPLY, resource("systemd_unit", name, Map.of("ensure", "absent")));

        ResourceResult failed = result(report, "systemd_unit:" + name);
        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(failed.error()).isEqualTo("systemd cannot load " + name + " (LoadState=bad-setting); "
                + "'systemd-analyze verify " + name + "' names what is wrong");
        ResourceResult removed = result(removal, "systemd_unit:" + name);
        assertThat(removed.details()).as(removed.error()).containsExactly("remove file");
        assertThat(unitFile(name)).doesNotExist();
    }

    @Test
    void validationNamesEachContradiction() {
        assertThat(problems("web.service", with(content("[Unit]\n"), "masked", true, "enabled", true))).containsExactly(
                Diagnostic.ofAttribute("masked", "cannot go with content: masking puts a link to /dev/null where the "
                        + "unit file would be; leave the content out to mask a unit a package installed"),
                Diagnostic.ofAttribute("enabled", "has no meaning for a masked unit, which nothing can start"));
        assertThat(problems("web.service", with(content("[Unit]\n"), "ensure", "absent", "enabled", false)))
                .containsExactly(Diagnostic.ofAttribute("content", "has no meaning for a unit that is absent"),
                        Diagnostic.ofAttribute("enabled", "has no meaning for a unit that is absent"));
        assertThat(problems("web.service", Map.of("ensure", "presnt", "enabled", true))).containsExactly(
                Diagnostic.ofAttribute("ensure", "'presnt' is not one of present, absent; did you mean 'present'?"));
        assertThat(problems("web.service", Map.of())).containsExactly(Diagnostic.ofAttribute("content", "is missing: "
                + "give content, source or template, or leave the file alone and set enabled or masked"));
        assertThat(problems("../web.service", Map.of("enabled", true))).containsExactly(Diagnostic.ofAttribute("name",
                "'../web.service' is not a unit name; expected letters, digits and _ . @ : - ending in a unit type, "
                        + "such as myapp.service, backup.timer or getty@.service"));
        assertThat(problems("web", Map.of("enabled", true))).hasSize(1);
        assertThat(problems("getty@.service", Map.of("masked", false))).isEmpty();
    }

    @Test
    void theSchemaDocumentsEveryAttribute() {
        assertThat(ResourceTypes.REGISTRY.schema("systemd_unit").attributes())
                .filteredOn(attribute -> !attribute.computed())
                .extracting(AttributeSchema::name, AttributeSchema::defaultValue)
                .containsExactly(tuple("ensure", "present"), tuple("content", ""), tuple("enabled", ""), tuple("masked", ""));
    }

    private static List<Diagnostic> problems(String name, Map<String, Object> attributes) {
        return ((SystemdUnitResource) instantiate("systemd_unit", name, attributes)).validate();
    }
}

package dev.plumb.resources;

import dev.plumb.RecordingRunner;
import dev.plumb.agent.BuiltInTypes;
import static dev.plumb.Fixtures.catalog;
import static dev.plumb.Fixtures.content;
import static dev.plumb.Fixtures.instantiate;
import static dev.plumb.Fixtures.notices;
import static dev.plumb.Fixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.plumb.api.Action;
import dev.plumb.api.Change;
import dev.plumb.api.Context;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.RefreshAction;
import dev.plumb.api.Refreshable.Notice;
import dev.plumb.api.ResourceException;
import dev.plumb.api.Services;
import dev.plumb.catalog.CatalogResource;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.ResourceResult;
import dev.plumb.catalog.RunReport;
import dev.plumb.catalog.Status;
import dev.plumb.engine.Engine;
import dev.plumb.engine.InvalidCatalogException;
import dev.plumb.providers.Providers;
import dev.plumb.system.BackupStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service resource on the systemd provider, through the command seam: exact argv, and state parsed from
 * {@code systemctl show} output captured on real hosts (under {@code src/test/resources/systemd/}).
 */
class ServiceResourceTest {

    private static final String SHOW = "systemctl show --property=ActiveState,UnitFileState,LoadState nginx";
    private static final String JOURNAL = "journalctl -u nginx -n 20 --no-pager";

    @TempDir
    Path dir;

    private RecordingRunner runner;
    private Context context;

    @BeforeEach
    void setUp() {
        runner = new RecordingRunner();
        context = new Context(runner, new BackupStore(dir.resolve("backups")),
                Services.of(new Providers(runner, Map.of("init_system", "systemd"))), Set.of());
    }

    private static ServiceResource service(Map<String, Object> attributes) {
        return instantiate("service", "nginx", attributes);
    }

    private static String capture(String file) throws IOException {
        try (InputStream in = ServiceResourceTest.class.getResourceAsStream("/systemd/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** {@code systemctl show} for nginx answers with the captured output in {@code file}. */
    private void showing(String file) throws IOException {
        runner.answer(SHOW, 0, capture(file), "");
    }

    // --- converge ------------------------------------------------------------------------------------------

    @Test
    void aServiceInTheWantedStateIsReadInOneQueryAndLeftAlone() throws Exception {
        showing("show-nginx-active-enabled.txt");

        Change change = service(Map.of("running", true, "enabled", true)).converge(context, true);

        assertThat(change.isNeeded()).isFalse();
        assertThat(runner.lines()).containsExactly(SHOW);
    }

    @Test
    void startsAndEnablesWithSystemctl() throws Exception {
        showing("show-nginx-inactive-disabled.txt");

        Change change = service(Map.of("running", true, "enabled", true)).converge(context, true);

        assertThat(change.action()).isEqualTo(Action.CHANGE);
        assertThat(change.details()).containsExactly("start service", "enable service");
        assertThat(change.entries()).extracting(Change.Entry::attribute, Change.Entry::before, Change.Entry::after)
                .containsExactly(tuple("running", false, true), tuple("enabled", false, true));
        assertThat(runner.argvs()).containsExactly(
                List.of("systemctl", "show", "--property=ActiveState,UnitFileState,LoadState", "nginx"),
                List.of("systemctl", "start", "nginx"),
                List.of("systemctl", "enable", "nginx"));
    }

    @Test
    void stopsAndDisablesWithSystemctl() throws Exception {
        showing("show-nginx-active-enabled.txt");

        Change change = service(Map.of("running", false, "enabled", false)).converge(context, true);

        assertThat(change.details()).containsExactly("stop service", "disable service");
        assertThat(runner.lines()).containsExactly(SHOW, "systemctl stop nginx", "systemctl disable nginx");
    }

    @Test
    void aFailedServiceIsNotRunningAndIsStarted() throws Exception {
        showing("show-nginx-failed-enabled.txt");

        Change change = service(Map.of("running", true, "enabled", true)).converge(context, true);

        assertThat(change.details()).containsExactly("start service");
        assertThat(runner.lines()).containsExactly(SHOW, "systemctl start nginx");
    }

    @Test
    void aDryRunRunsOnlyTheQuery() throws Exception {
        showing("show-nginx-inactive-disabled.txt");

        Change change = service(Map.of("running", true, "enabled", true)).converge(context, false);

        assertThat(change.details()).containsExactly("start service", "enable service");
        assertThat(runner.lines()).containsExactly(SHOW);
    }

    @Test
    void unsetAttributesAreLeftAlone() throws Exception {
        showing("show-nginx-inactive-disabled.txt");

        Change change = service(Map.of()).converge(context, true);

        assertThat(change.isNeeded()).isFalse();
        assertThat(runner.lines()).containsExactly(SHOW);
    }

    @Test
    void aFailedStartCarriesTheLastJournalLines() throws Exception {
        showing("show-nginx-inactive-disabled.txt");
        runner.answer("systemctl start nginx", 1, "", capture("start-nginx-failed.stderr.txt"));
        runner.answer(JOURNAL, 0, capture("journal-nginx-failed-start.txt"), "");

        assertThatThrownBy(() -> service(Map.of("running", true)).converge(context, true))
                .isInstanceOf(ResourceException.class)
                .hasMessage("systemctl start nginx failed with exit code 1:\n"
                        + capture("start-nginx-failed.stderr.txt").strip() + "\n"
                        + "last journal lines (" + JOURNAL + "):\n"
                        + capture("journal-nginx-failed-start.txt").strip());
        assertThat(runner.lines()).containsExactly(SHOW, "systemctl start nginx", JOURNAL);
    }

    @Test
    void aFailedEnableCarriesSystemctlsError() throws Exception {
        showing("show-masked.txt");
        runner.answer("systemctl enable nginx", 1, "", capture("enable-masked.stderr.txt"));

        assertThatThrownBy(() -> service(Map.of("enabled", true)).converge(context, true))
                .hasMessage("systemctl enable nginx failed with exit code 1:\n"
                        + "Failed to enable unit: Unit file /etc/systemd/system/nginx.service is masked.");
    }

    @Test
    void aUnitThatDoesNotExistFailsAnApply() throws Exception {
        showing("show-not-found.txt");

        assertThatThrownBy(() -> service(Map.of("running", true)).converge(context, true))
                .isInstanceOf(ResourceException.class)
                .hasMessage("systemd has no unit nginx.service (LoadState=not-found); install the package that provides "
                        + "it, or check the name");
        assertThat(runner.lines()).containsExactly(SHOW);
    }

    @Test
    void aUnitThatDoesNotExistIsInSyncWhenItShouldNeitherRunNorStartAtBoot() throws Exception {
        showing("show-not-found.txt");

        assertThat(service(Map.of("running", false, "enabled", false)).converge(context, true).isNeeded()).isFalse();
        assertThat(service(Map.of()).converge(context, true).isNeeded()).isFalse();
        assertThat(runner.lines()).containsExactly(SHOW, SHOW);
    }

    @Test
    void aDryRunExpectsAUnitThatDoesNotExistYetToBeInstalledFirst() throws Exception {
        showing("show-not-found.txt");

        Change change = service(Map.of("running", true, "enabled", true)).converge(context, false);

        assertThat(change.details()).containsExactly("start service (not installed yet)", "enable service (not installed yet)");
    }

    @Test
    void aUnitSystemdCannotLoadFailsWithItsJournal() throws Exception {
        showing("show-bad-setting.txt");
        runner.answer(JOURNAL, 0, "Nov 22 05:10:01 web1 systemd[1]: nginx.service: Service has no ExecStart=, "
                + "ExecStop=, or SuccessAction=. Refusing.\n", "");

        assertThatThrownBy(() -> service(Map.of("running", true)).converge(context, false))
                .hasMessageStartingWith("systemd cannot load nginx.service (LoadState=bad-setting); "
                        + "'systemd-analyze verify nginx.service' names what is wrong\nlast journal lines")
                .hasMessageEndingWith("Refusing.");
    }

    @Test
    void aStaticUnitCannotBeEnabledButCanBeStarted() throws Exception {
        showing("show-static.txt");

        assertThat(service(Map.of("running", true)).converge(context, true).isNeeded()).isFalse();
        assertThatThrownBy(() -> service(Map.of("enabled", true)).converge(context, true))
                .hasMessage("cannot be enabled: its unit file has no [Install] section (UnitFileState=static): it starts "
                        + "when another unit needs it; remove 'enabled' from this service");
        assertThat(runner.lines()).containsExactly(SHOW, SHOW);
    }

    @Test
    void aUnitGeneratedFromAnInitScriptAsksIsEnabled() throws Exception {
        showing("show-generated.txt");
        runner.answer("systemctl is-enabled nginx", 1, "disabled\n",
                "nginx.service is not a native service, redirecting to systemd-sysv-install.\n"
                        + "Executing: /lib/systemd/systemd-sysv-install is-enabled nginx\n");

        Change change = service(Map.of("enabled", true)).converge(context, true);

        assertThat(change.details()).containsExactly("enable service");
        assertThat(runner.lines()).containsExactly(SHOW, "systemctl is-enabled nginx", "systemctl enable nginx");
    }

    @Test
    void withoutASystemdManagerTheQueryFailsWithSystemctlsError() throws Exception {
        runner.answer(SHOW, 1, "", capture("show-no-manager.stderr.txt"));

        assertThatThrownBy(() -> service(Map.of("running", true)).converge(context, false))
                .hasMessage("systemctl show failed with exit code 1:\n"
                        + "System has not been booted with systemd as init system (PID 1). Can't operate.\n"
                        + "Failed to connect to bus: Host is down");
    }

    // --- refresh -------------------------------------------------------------------------------------------

    @Test
    void aRefreshRestartsARunningService() throws Exception {
        Change change = service(Map.of("running", true)).refresh(context, true, notices("file[/etc/nginx/nginx.conf]"));

        assertThat(change.details()).containsExactly("restart (notified by file[/etc/nginx/nginx.conf])");
        assertThat(runner.lines()).containsExactly("systemctl restart nginx");
    }

    @Test
    void aRefreshReloadsWhenAskedTo() throws Exception {
        Change change = service(Map.of("running", true, "reload", true))
                .refresh(context, true, notices("file[/etc/nginx/nginx.conf]", "file[/etc/nginx/sites-enabled/shop]"));

        assertThat(change.details()).containsExactly(
                "reload (notified by file[/etc/nginx/nginx.conf], file[/etc/nginx/sites-enabled/shop])");
        assertThat(runner.lines()).containsExactly("systemctl reload nginx");
    }

    @Test
    void aRestartAskedByOneNotifierWinsOverAReloadAskedByAnother() throws Exception {
        Change change = service(Map.of("running", true)).refresh(context, true, List.of(
                new Notice("file[/etc/nginx/sites-enabled/shop]", RefreshAction.RELOAD),
                new Notice("file[/etc/nginx/nginx.conf]", RefreshAction.RESTART)));

        assertThat(change.details()).containsExactly(
                "restart (notified by file[/etc/nginx/sites-enabled/shop], file[/etc/nginx/nginx.conf])");
        assertThat(runner.lines()).containsExactly("systemctl restart nginx");
    }

    @Test
    void aServiceThatRestartsByDefaultReloadsWhenEveryNotifierAsksForAReload() throws Exception {
        Change change = service(Map.of("running", true, "restart", "nginx -t && systemctl restart nginx")).refresh(context,
                true, List.of(new Notice("file[/a]", RefreshAction.RELOAD), new Notice("file[/b]", RefreshAction.RELOAD)));

        assertThat(change.details()).containsExactly("reload (notified by file[/a], file[/b])");
        assertThat(runner.lines()).containsExactly("systemctl reload nginx");
    }

    @Test
    void aNotifierThatAsksForNothingGetsTheServicesOwnWay() throws Exception {
        Change reloads = service(Map.of("running", true, "reload", true)).refresh(context, true,
                List.of(new Notice("file[/a]", null), new Notice("file[/b]", RefreshAction.RELOAD)));
        Change restarts = service(Map.of("running", true)).refresh(context, true,
                List.of(new Notice("file[/a]", null), new Notice("file[/b]", RefreshAction.RELOAD)));

        assertThat(reloads.details()).containsExactly("reload (notified by file[/a], file[/b])");
        assertThat(restarts.details()).containsExactly("restart (notified by file[/a], file[/b])");
        assertThat(runner.lines()).containsExactly("systemctl reload nginx", "systemctl restart nginx");
    }

    @Test
    void aRefreshRunsTheCustomRestartCommand() throws Exception {
        Change change = service(Map.of("running", true, "restart", "nginx -t && systemctl restart nginx"))
                .refresh(context, true, notices("file[/etc/nginx/nginx.conf]"));

        assertThat(change.details())
                .containsExactly("restart with 'nginx -t && systemctl restart nginx' (notified by file[/etc/nginx/nginx.conf])");
        assertThat(runner.argvs()).containsExactly(List.of("/bin/sh", "-c", "nginx -t && systemctl restart nginx"));
    }

    @Test
    void aFailedCustomRestartCarriesItsOutput() {
        runner.answer("nginx -t && systemctl restart nginx", 1, "", "nginx: configuration file /etc/nginx/nginx.conf test failed\n");

        assertThatThrownBy(() -> service(Map.of("running", true, "restart", "nginx -t && systemctl restart nginx"))
                .refresh(context, true, notices("file[/x]")))
                .hasMessage("restart command 'nginx -t && systemctl restart nginx' exited with 1:\n"
                        + "nginx: configuration file /etc/nginx/nginx.conf test failed");
    }

    @Test
    void aFailedRestartCarriesTheLastJournalLines() throws Exception {
        runner.answer("systemctl restart nginx", 1, "", capture("start-nginx-failed.stderr.txt"));
        runner.answer(JOURNAL, 0, capture("journal-nginx-failed-start.txt"), "");

        assertThatThrownBy(() -> service(Map.of("running", true)).refresh(context, true, notices("file[/x]")))
                .hasMessageStartingWith("systemctl restart nginx failed with exit code 1:\nJob for nginx.service failed")
                .hasMessageContaining("unknown directive \"listne\"");
    }

    @Test
    void aPlannedRefreshRunsNothing() throws Exception {
        Change change = service(Map.of("running", true)).refresh(context, false, notices("file[/x]"));

        assertThat(change.details()).containsExactly("restart (notified by file[/x])");
        assertThat(runner.commands()).isEmpty();
    }

    @Test
    void aRefreshOfAServiceThatShouldNotRunDoesNothing() throws Exception {
        Change change = service(Map.of("running", false)).refresh(context, true, notices("file[/x]"));

        assertThat(change.isNeeded()).isFalse();
        assertThat(runner.commands()).isEmpty();
    }

    @Test
    void aRefreshOfAnUnmanagedServiceThatIsStoppedOnlyLooks() throws Exception {
        showing("show-nginx-inactive-disabled.txt");

        Change change = service(Map.of()).refresh(context, true, notices("file[/x]"));

        assertThat(change.isNeeded()).isFalse();
        assertThat(runner.lines()).containsExactly(SHOW);
    }

    @Test
    void aRefreshOfAnUnmanagedServiceThatRunsRestartsIt() throws Exception {
        showing("show-nginx-active-enabled.txt");

        Change change = service(Map.of()).refresh(context, true, notices("file[/x]"));

        assertThat(change.details()).containsExactly("restart (notified by file[/x])");
        assertThat(runner.lines()).containsExactly(SHOW, "systemctl restart nginx");
    }

    // --- in the engine -------------------------------------------------------------------------------------

    private RunReport apply(Path config, Map<String, Object> service) throws Exception {
        return new Engine(context, BuiltInTypes.REGISTRY, 2, Clock.systemUTC()).run(catalog(
                resource("file", config.toString(), List.of(), List.of("service:nginx"), content("worker_processes 4;\n")),
                resource("service", "nginx", service)), Mode.APPLY);
    }

    private static ResourceResult nginx(RunReport report) {
        return report.resources().stream().filter(r -> r.id().equals("service:nginx")).findFirst().orElseThrow();
    }

    @Test
    void aServiceStartedByItsOwnConvergeIsNotRestartedForTheSameNotification() throws Exception {
        showing("show-nginx-inactive-disabled.txt");
        Path config = dir.resolve("nginx.conf");

        RunReport report = apply(config, Map.of("running", true));

        assertThat(nginx(report).details()).containsExactly("start service");
        assertThat(runner.lines()).containsExactly(SHOW, "systemctl start nginx");
    }

    @Test
    void aServiceOnlyEnabledByItsOwnConvergeStillRestartsWhenNotified() throws Exception {
        runner.answer(SHOW, 0, "LoadState=loaded\nActiveState=active\nUnitFileState=disabled\n", "");
        Path config = dir.resolve("nginx.conf");

        RunReport report = apply(config, Map.of("running", true, "enabled", true));

        assertThat(nginx(report).status()).isEqualTo(Status.CHANGED);
        assertThat(nginx(report).details()).containsExactly("enable service", "restart (notified by file[" + config + "])");
        assertThat(runner.lines()).containsExactly(SHOW, "systemctl enable nginx", "systemctl restart nginx");
    }

    @Test
    void eachNotifierAsksForItsOwnActionAndOnlyThoseThatChangedCount() throws Exception {
        runner.answer(SHOW, 0, "LoadState=loaded\nActiveState=active\nUnitFileState=enabled\n", "");
        Path site = dir.resolve("shop");
        Path modules = dir.resolve("modules.conf");
        Files.writeString(modules, "load_module x;\n");
        CatalogResource service = resource("service", "nginx", Map.of("running", true));

        RunReport report = new Engine(context, BuiltInTypes.REGISTRY, 2, Clock.systemUTC()).run(catalog(
                new CatalogResource("file", site.toString(), List.of(), List.of("service:nginx"),
                        Map.of("service:nginx", RefreshAction.RELOAD), content("server {}\n")),
                resource("file", modules.toString(), List.of(), List.of("service:nginx"), content("load_module x;\n")),
                service), Mode.APPLY);

        assertThat(nginx(report).details()).containsExactly("reload (notified by file[" + site + "])");
        assertThat(runner.lines()).containsExactly(SHOW, "systemctl reload nginx");
    }

    @Test
    void aResourceThatRefreshesInItsOwnWayOnlyCannotBeAskedToReload() {
        Engine engine = new Engine(context, BuiltInTypes.REGISTRY, 2, Clock.systemUTC());
        Path config = dir.resolve("app.conf");

        assertThatThrownBy(() -> engine.run(catalog(
                new CatalogResource("file", config.toString(), List.of(), List.of("exec:reload-app"),
                        Map.of("exec:reload-app", RefreshAction.RELOAD), content("x\n")),
                resource("exec", "reload-app", Map.of("command", "true", "refreshonly", true))), Mode.APPLY))
                .isInstanceOf(InvalidCatalogException.class)
                .hasMessage("file[" + config + "] notify: exec[reload-app] cannot be asked to reload; it refreshes in its "
                        + "own way only: write exec:reload-app without 'reload'");
        assertThat(config).doesNotExist();
    }

    @Test
    void aServiceNeedsThePackageOfItsName() {
        assertThat(service(Map.of()).autoRequires()).containsExactly("package:nginx");
    }

    @Test
    void theServiceIsOrderedAfterItsPackageAndItsNotifier() throws Exception {
        var prepared = Engine.prepare(catalog(
                resource("service", "nginx", Map.of("running", true)),
                resource("file", "/etc/nginx/nginx.conf", List.of(), List.of("service:nginx"), content("x\n")),
                resource("package", "nginx", Map.of())), BuiltInTypes.REGISTRY);

        assertThat(prepared.graph().graph().dependenciesOf("service:nginx"))
                .containsExactlyInAnyOrder("package:nginx", "file:/etc/nginx/nginx.conf");
    }

    // --- validate ------------------------------------------------------------------------------------------

    @Test
    void validationNamesEachBrokenAttribute() {
        List<Diagnostic> problems = ((ServiceResource) instantiate("service", "-nginx",
                Map.of("provider", "upstart", "restart", "x", "reload", true, "running", false))).validate();

        assertThat(problems).extracting(Diagnostic::attribute).containsExactly("name", "provider", "reload", "restart");
        assertThat(problems.get(0).summary()).isEqualTo("'-nginx' is not a service name; expected letters, digits and "
                + "_ . @ : - such as nginx or getty@tty1");
        assertThat(problems.get(1).summary()).startsWith("'upstart' is not one of systemd, sysv");
        assertThat(problems.get(3).summary()).isEqualTo("has no meaning for a service that is running: false; "
                + "a notification never starts it");
    }

    @Test
    void aWellFormedServiceHasNoProblems() {
        assertThat(service(Map.of("running", true, "enabled", true, "reload", true, "provider", "sysv")).validate()).isEmpty();
        assertThat(((ServiceResource) instantiate("service", "getty@tty1", Map.of())).validate()).isEmpty();
    }
}

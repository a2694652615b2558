package dev.plumb.resources;

import dev.plumb.Fixtures;
import static dev.plumb.Fixtures.catalog;
import static dev.plumb.Fixtures.content;
import static dev.plumb.Fixtures.resource;
import static dev.plumb.Fixtures.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.agent.BuiltInTypes;
import dev.plumb.api.Command;
import dev.plumb.api.CommandResult;
import dev.plumb.api.Context;
import dev.plumb.api.RefreshAction;
import dev.plumb.catalog.CatalogResource;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.ResourceResult;
import dev.plumb.catalog.RunReport;
import dev.plumb.catalog.Status;
import dev.plumb.engine.Engine;
import dev.plumb.system.ProcessCommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every service provider must do, run against the real init system through the real engine. A
 * subclass installs a test service whose daemon is a sleep: each start appends a line to {@code starts} and
 * each reload to {@code reloads} in the work directory, and a start fails while a {@code fail} file is there.
 */
abstract class ServiceResourceContract {

    @TempDir
    Path work;

    /** A fresh name per test, so that a test's leftovers never meet another's. */
    protected String name;
    private boolean installed;

    /** The provider under test, as the {@code provider:} attribute names it. */
    abstract String provider();

    /** Skips the test, with the reason, where this provider cannot run for real. */
    abstract void assumeAvailable();

    /** Installs the test service {@link #name}, stopped and not started at boot. */
    abstract void install() throws Exception;

    /** Stops and removes the test service and everything it left; runs even after a failed test. */
    abstract void uninstall() throws Exception;

    /** Whether the service runs, as the init system's own tools say. */
    abstract boolean runs() throws Exception;

    /** Whether the service starts at boot, as the init system's own tools say. */
    abstract boolean startsAtBoot() throws Exception;

    /** The process id of the running daemon. */
    abstract long pid() throws Exception;

    /** Starts or stops the service by hand, as an operator would. */
    abstract void control(String verb) throws Exception;

    /** What the failure of a start must show besides the command that failed. */
    abstract String startFailureEvidence();

    @BeforeEach
    void installService() throws Exception {
        assumeAvailable();
        name = "plumbtest-" + UUID.randomUUID().toString().substring(0, 8);
        installed = true;
        install();
    }

    @AfterEach
    void uninstallService() throws Exception {
        if (installed) {
            uninstall();
        }
    }

    /** Runs a command line and returns what it left; a helper for the subclasses' hooks. */
    static CommandResult sh(String commandLine) throws IOException {
        return new ProcessCommandRunner().run(Command.shell(commandLine, null, null, Duration.ofSeconds(60)));
    }

    /** Runs a command line that must succeed. */
    static void must(String commandLine) throws IOException {
        CommandResult result = sh(commandLine);
        assertThat(result.exitCode()).as("'%s' failed: %s", commandLine, result.evidence()).isZero();
    }

    private CatalogResource service(Object... attributes) {
        return resource("service", name, with(Map.of("provider", provider()), attributes));
    }

    private CatalogResource notifier(String file, String text) {
        return resource("file", work.resolve(file).toString(), List.of(), List.of("service:" + name), content(text));
    }

    /** A file that, when it changes, asks the service for {@code action}, as {@code notify: "reload service:NAME"}. */
    private CatalogResource notifier(String file, String text, RefreshAction action) {
        return new CatalogResource("file", work.resolve(file).toString(), List.of(), List.of("service:" + name),
                Map.of("service:" + name, action), content(text));
    }

    /** What the engine acts through: this machine's commands and facts, unless the init system runs elsewhere. */
    Context context(Path backups) {
        return Fixtures.context(new ProcessCommandRunner(), backups);
    }

    private RunReport run(Mode mode, CatalogResource... resources) throws Exception {
        Engine engine = new Engine(context(work.resolve("backups")), BuiltInTypes.REGISTRY, 4, Clock.systemUTC());
        return engine.run(catalog(resources), mode);
    }

    private ResourceResult result(RunReport report) {
        return report.resources().stream().filter(r -> r.id().equals("service:" + name)).findFirst().orElseThrow();
    }

    private List<String> logged(String log) throws IOException {
        Path file = work.resolve(log);
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    @Test
    void startsAStoppedServiceAndASecondApplyChangesNothing() throws Exception {
        RunReport first = run(Mode.APPLY, service("running", true));
        RunReport second = run(Mode.APPLY, service("running", true));

        assertThat(result(first).status()).as(result(first).error()).isEqualTo(Status.CHANGED);
        assertThat(result(first).details()).containsExactly("start service");
        assertThat(runs()).isTrue();
        assertThat(result(second).status()).isEqualTo(Status.IN_SYNC);
        assertThat(logged("starts")).hasSize(1);
    }

    @Test
    void stopsARunningService() throws Exception {
        control("start");

        RunReport report = run(Mode.APPLY, service("running", false));

        assertThat(result(report).details()).containsExactly("stop service");
        assertThat(runs()).isFalse();
        assertThat(result(run(Mode.APPLY, service("running", false))).status()).isEqualTo(Status.IN_SYNC);
    }

    @Test
    void enablesThenDisablesItAtBoot() throws Exception {
        RunReport enable = run(Mode.APPLY, service("enabled", true));
        boolean enabledAfterwards = startsAtBoot();
        RunReport again = run(Mode.APPLY, service("enabled", true));
        RunReport disable = run(Mode.APPLY, service("enabled", false));

        assertThat(result(enable).details()).as(result(enable).error()).containsExactly("enable service");
        assertThat(enabledAfterwards).isTrue();
        assertThat(result(again).status()).isEqualTo(Status.IN_SYNC);
        assertThat(result(disable).details()).as(result(disable).error()).containsExactly("disable service");
        assertThat(startsAtBoot()).isFalse();
        assertThat(result(run(Mode.APPLY, service("enabled", false))).status()).isEqualTo(Status.IN_SYNC);
        assertThat(runs()).as("enabling does not start it").isFalse();
    }

    @Test
    void aDryRunPredictsTheChangesAndChangesNothing() throws Exception {
        RunReport plan = run(Mode.PLAN, service("running", true, "enabled", true));

        assertThat(result(plan).status()).isEqualTo(Status.WOULD_CHANGE);
        assertThat(result(plan).details()).containsExactly("start service", "enable service");
        assertThat(runs()).isFalse();
        assertThat(startsAtBoot()).isFalse();
        assertThat(logged("starts")).isEmpty();
    }

    @Test
    void driftMadeByHandIsReportedByACheckAndRepairedByApply() throws Exception {
        run(Mode.APPLY, service("running", true));
        control("stop");

        RunReport check = run(Mode.CHECK, service("running", true));
        boolean runsAfterCheck = runs();
        RunReport repair = run(Mode.APPLY, service("running", true));

        assertThat(result(check).status()).isEqualTo(Status.WOULD_CHANGE);
        assertThat(result(check).details()).containsExactly("start service");
        assertThat(runsAfterCheck).isFalse();
        assertThat(result(repair).status()).isEqualTo(Status.CHANGED);
        assertThat(runs()).isTrue();
    }

    @Test
    void aNotifiedServiceRestartsOnceWhenItsConfigurationChanges() throws Exception {
        RunReport first = run(Mode.APPLY, notifier("a.conf", "v1\n"), notifier("b.conf", "v1\n"), service("running", true));
        long before = pid();

        RunReport changed = run(Mode.APPLY, notifier("a.conf", "v2\n"), notifier("b.conf", "v2\n"), service("running", true));
        long after = pid();
        RunReport unchanged = run(Mode.APPLY, notifier("a.conf", "v2\n"), notifier("b.conf", "v2\n"), service("running", true));

        assertThat(result(first).details()).as("a service just started needs no restart").containsExactly("start service");
        assertThat(result(changed).status()).as(result(changed).error()).isEqualTo(Status.CHANGED);
        assertThat(result(changed).details()).containsExactly("restart (notified by file[" + work.resolve("a.conf")
                + "], file[" + work.resolve("b.conf") + "])");
        assertThat(after).isNotEqualTo(before);
        assertThat(logged("starts")).as("one start, then one restart").hasSize(2);
        assertThat(result(unchanged).status()).isEqualTo(Status.IN_SYNC);
        assertThat(pid()).isEqualTo(after);
    }

    @Test
    void aNotifiedServiceThatIsOnlyEnabledStillRestarts() throws Exception {
        control("start");
        long before = pid();

        RunReport report = run(Mode.APPLY, notifier("a.conf", "v1\n"), service("enabled", true));

        assertThat(result(report).details()).containsExactly("enable service",
                "restart (notified by file[" + work.resolve("a.conf") + "])");
        assertThat(pid()).isNotEqualTo(before);
    }

    @Test
    void aNotifiedServiceReloadsWhenAskedTo() throws Exception {
        control("start");
        long before = pid();

        RunReport report = run(Mode.APPLY, notifier("a.conf", "v1\n"), service("running", true, "reload", true));

        assertThat(result(report).details()).containsExactly("reload (notified by file[" + work.resolve("a.conf") + "])");
        assertThat(logged("reloads")).hasSize(1);
        assertThat(pid()).isEqualTo(before);
    }

    @Test
    void aReloadAskedByOneNotifierAndARestartByAnotherRestartsOnce() throws Exception {
        control("start");
        long before = pid();

        RunReport report = run(Mode.APPLY, notifier("site.conf", "v1\n", RefreshAction.RELOAD),
                notifier("a.conf", "v1\n", RefreshAction.RESTART), service("running", true, "reload", true));

        assertThat(result(report).details()).as(result(report).error()).containsExactly("restart (notified by file["
                + work.resolve("site.conf") + "], file[" + work.resolve("a.conf") + "])");
        assertThat(pid()).isNotEqualTo(before);
        assertThat(logged("starts")).as("one start by hand, then one restart").hasSize(2);
        assertThat(logged("reloads")).isEmpty();
    }

    @Test
    void aReloadAskedByItsNotifierReloadsAServiceThatOtherwiseRestarts() throws Exception {
        control("start");
        long before = pid();

        RunReport report = run(Mode.APPLY, notifier("site.conf", "v1\n", RefreshAction.RELOAD), service("running", true));

        assertThat(result(report).details()).as(result(report).error())
                .containsExactly("reload (notified by file[" + work.resolve("site.conf") + "])");
        assertThat(logged("reloads")).hasSize(1);
        assertThat(pid()).isEqualTo(before);
    }

    @Test
    void aReloadAskedOfAStoppedServiceThatShouldRunStartsIt() throws Exception {
        RunReport report = run(Mode.APPLY, notifier("site.conf", "v1\n", RefreshAction.RELOAD), service("running", true));

        assertThat(result(report).details()).as(result(report).error()).containsExactly("start service");
        assertThat(runs()).isTrue();
        assertThat(logged("starts")).hasSize(1);
        assertThat(logged("reloads")).isEmpty();
    }

    @Test
    void aNotifiedServiceThatShouldNotRunIsNotStarted() throws Exception {
        RunReport report = run(Mode.APPLY, notifier("a.conf", "v1\n"), service("running", false));

        assertThat(result(report).status()).isEqualTo(Status.IN_SYNC);
        assertThat(runs()).isFalse();
    }

    @Test
    void aNotifiedServiceThatIsUnmanagedAndStoppedIsNotStarted() throws Exception {
        RunReport report = run(Mode.APPLY, notifier("a.conf", "v1\n"), service());

        assertThat(result(report).status()).isEqualTo(Status.IN_SYNC);
        assertThat(runs()).isFalse();
        assertThat(logged("starts")).isEmpty();
    }

    @Test
    void aFailedStartCarriesTheEvidence() throws Exception {
        Files.writeString(work.resolve("fail"), "");

        RunReport report = run(Mode.APPLY, service("running", true));

        assertThat(result(report).status()).isEqualTo(Status.FAILED);
        assertThat(result(report).error()).contains(startFailureEvidence());
        assertThat(runs()).isFalse();
    }

    @Test
    void aServiceThatDoesNotExistFailsWhileAPlanExpectsItsPackageToInstallIt() throws Exception {
        String missing = name + "-missing";
        CatalogResource resource = resource("service", missing, Map.of("provider", provider(), "running", true));

        RunReport plan = run(Mode.PLAN, resource);
        RunReport apply = run(Mode.APPLY, resource);

        assertThat(plan.resources().get(0).details()).containsExactly("start service (not installed yet)");
        assertThat(apply.resources().get(0).status()).isEqualTo(Status.FAILED);
        assertThat(apply.resources().get(0).error()).contains(missing).contains("install the package that provides it");
    }

    @Test
    void aServiceThatNoLongerExistsIsInSyncWhenItShouldNeitherRunNorStartAtBoot() throws Exception {
        CatalogResource resource = resource("service", name + "-missing", Map.of("provider", provider(), "running", false,
                "enabled", false));

        RunReport apply = run(Mode.APPLY, resource);

        assertThat(apply.resources().get(0).status()).isEqualTo(Status.IN_SYNC);
    }
}

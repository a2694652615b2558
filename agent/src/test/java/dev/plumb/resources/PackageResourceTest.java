package dev.plumb.resources;

import dev.plumb.DebianPackages;
import dev.plumb.Fixtures;
import static dev.plumb.Fixtures.catalog;
import static dev.plumb.Fixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.RecordingRunner;
import dev.plumb.agent.BuiltInTypes;
import dev.plumb.api.Context;
import dev.plumb.api.Services;
import dev.plumb.catalog.CatalogResource;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.ResourceResult;
import dev.plumb.catalog.RunReport;
import dev.plumb.catalog.Status;
import dev.plumb.engine.Engine;
import dev.plumb.providers.Providers;
import dev.plumb.system.BackupStore;
import dev.plumb.system.ProcessCommandRunner;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Packages on this machine, for real: .deb files built by the test, served from a local apt repository,
 * installed, upgraded, pinned, removed and purged through dpkg and apt-get.
 */
class PackageResourceTest {

    @TempDir
    static Path dir;

    private static DebianPackages debs;
    private static Path lib1;
    private static Path app1;
    private final RecordingRunner runner = new RecordingRunner(new ProcessCommandRunner());

    @BeforeAll
    static void buildRepository() throws Exception {
        debs = new DebianPackages();
        lib1 = debs.build("lib", "1.0", null);
        debs.build("lib", "2.0", null);
        app1 = debs.build("app", "1.0", "lib");
        debs.build("broken", "1.0", "missing");
        debs.publish();
    }

    @AfterAll
    static void removeRepository() throws Exception {
        debs.close();
    }

    @AfterEach
    void purgeEverythingBuilt() throws Exception {
        debs.run("dpkg", "--purge", "--force-depends", debs.name("app"), debs.name("lib"), debs.name("broken"));
    }

    private RunReport run(Mode mode, CatalogResource... resources) throws Exception {
        return run(mode, Fixtures.context(runner, dir.resolve("backups")), resources);
    }

    private RunReport run(Mode mode, Context context, CatalogResource... resources) throws Exception {
        return new Engine(context, BuiltInTypes.REGISTRY, 4, Clock.systemUTC()).run(catalog(resources), mode);
    }

    private static CatalogResource pkg(String base, Object... attributes) {
        return resource("package", debs.name(base), Fixtures.with(Map.of(), attributes));
    }

    private static CatalogResource fromSource(String base, Path deb) throws Exception {
        return pkg(base, "source", deb.getFileName().toString(), "sourceBase64",
                Base64.getEncoder().encodeToString(Files.readAllBytes(deb)));
    }

    private static List<Status> statuses(RunReport report) {
        return report.resources().stream().map(ResourceResult::status).toList();
    }

    private List<String> aptCalls() {
        return runner.lines().stream().filter(line -> line.startsWith("apt-get")).toList();
    }

    @Test
    void debFilesWithADependencyInstallInOneTransactionAndTheSecondRunChangesNothing() throws Exception {
        RunReport first = run(Mode.APPLY, fromSource("app", app1), fromSource("lib", lib1));

        assertThat(statuses(first)).containsExactly(Status.CHANGED, Status.CHANGED);
        assertThat(first.resources().get(0).details()).containsExactly("install version 1.0 from " + app1.getFileName());
        assertThat(debs.state("app")).isEqualTo("ii 1.0");
        assertThat(debs.state("lib")).isEqualTo("ii 1.0");
        assertThat(aptCalls()).hasSize(1);

        RunReport second = run(Mode.APPLY, fromSource("app", app1), fromSource("lib", lib1));

        assertThat(statuses(second)).containsExactly(Status.IN_SYNC, Status.IN_SYNC);
        assertThat(aptCalls()).hasSize(1);
    }

    @Test
    void aPackageFromTheRepositoryComesWithItsDependencyAtTheCandidateVersion() throws Exception {
        RunReport report = run(Mode.APPLY, pkg("app"));

        assertThat(report.resources().get(0).details()).containsExactly("install version 1.0");
        assertThat(debs.state("app")).isEqualTo("ii 1.0");
        assertThat(debs.state("lib")).isEqualTo("ii 2.0");
    }

    @Test
    void anExactVersionIsHeldDowngradedToAndTheLatestUpgradedTo() throws Exception {
        run(Mode.APPLY, pkg("lib", "version", "1.0"));
        assertThat(debs.state("lib")).isEqualTo("ii 1.0");
        assertThat(statuses(run(Mode.CHECK, pkg("lib", "version", "1.0")))).containsExactly(Status.IN_SYNC);
        assertThat(statuses(run(Mode.CHECK, pkg("lib")))).as("any installed version will do").containsExactly(Status.IN_SYNC);

        RunReport upgrade = run(Mode.APPLY, pkg("lib", "version", "latest"));
        assertThat(upgrade.resources().get(0).details()).containsExactly("version changed '1.0' to '2.0' (latest)");
        assertThat(debs.state("lib")).isEqualTo("ii 2.0");

        RunReport plan = run(Mode.PLAN, pkg("lib", "version", "1.0"));
        assertThat(plan.resources().get(0).details()).containsExactly("version changed '2.0' to '1.0'");
        assertThat(debs.state("lib")).as("a plan changes nothing").isEqualTo("ii 2.0");

        run(Mode.APPLY, pkg("lib", "version", "1.0"));
        assertThat(debs.state("lib")).isEqualTo("ii 1.0");
    }

    @Test
    void removeKeepsConfigurationFilesAndPurgeTakesThem() throws Exception {
        run(Mode.APPLY, pkg("lib"));
        Path conf = Path.of("/etc/" + debs.name("lib") + ".conf");

        RunReport removal = run(Mode.APPLY, pkg("lib", "ensure", "absent"));
        assertThat(removal.resources().get(0).details()).containsExactly("remove version 2.0");
        assertThat(debs.state("lib")).isEqualTo("rc 2.0");
        assertThat(conf).exists();
        assertThat(statuses(run(Mode.APPLY, pkg("lib", "ensure", "absent")))).containsExactly(Status.IN_SYNC);

        RunReport purge = run(Mode.APPLY, pkg("lib", "ensure", "purged"));
        assertThat(purge.resources().get(0).details()).containsExactly("purge configuration files");
        assertThat(debs.state("lib")).isEmpty();
        assertThat(conf).doesNotExist();
        assertThat(statuses(run(Mode.APPLY, pkg("lib", "ensure", "purged")))).containsExactly(Status.IN_SYNC);
    }

    @Test
    void aPackageRemovedByHandIsReportedByCheckAndReinstalledByApply() throws Exception {
        run(Mode.APPLY, pkg("lib"));
        debs.run("dpkg", "--remove", debs.name("lib"));

        RunReport check = run(Mode.CHECK, pkg("lib"));
        assertThat(check.resources().get(0).status()).isEqualTo(Status.WOULD_CHANGE);
        assertThat(check.resources().get(0).details()).containsExactly("install version 2.0");
        assertThat(debs.state("lib")).isEqualTo("rc 2.0");

        assertThat(statuses(run(Mode.APPLY, pkg("lib")))).containsExactly(Status.CHANGED);
        assertThat(debs.state("lib")).isEqualTo("ii 2.0");
    }

    @Test
    void unknownAndUninstallablePackagesFailAloneWhileTheOthersInstall() throws Exception {
        RunReport report = run(Mode.APPLY, pkg("lib"), pkg("nonexistent"), pkg("broken"));

        assertThat(statuses(report)).containsExactly(Status.CHANGED, Status.FAILED, Status.FAILED);
        assertThat(report.resources().get(1).error()).isEqualTo("no package '" + debs.name("nonexistent")
                + "' is available from the configured apt sources; check the name, or run apt-get update");
        assertThat(report.resources().get(2).error()).startsWith("apt-get install failed with exit code 100:")
                .contains(debs.name("broken") + " : Depends: " + debs.name("missing"));
        assertThat(debs.state("lib")).isEqualTo("ii 2.0");
        assertThat(debs.state("broken")).isEmpty();
    }

    @Test
    void aHeldDpkgLockFailsWithTheProcessHoldingIt() throws Exception {
        Context context = new Context(runner, new BackupStore(dir.resolve("backups")),
                Services.of(new Providers(runner, Fixtures.FACTS, Duration.ofSeconds(1))), Set.of());
        try (FileChannel channel = FileChannel.open(Path.of("/var/lib/dpkg/lock-frontend"), StandardOpenOption.WRITE);
             FileLock lock = channel.lock()) {
            RunReport report = run(Mode.APPLY, context, pkg("lib"));

            assertThat(report.resources().get(0).error()).isEqualTo("the dpkg lock /var/lib/dpkg/lock-frontend is held by "
                    + "process " + ProcessHandle.current().pid() + " (java); waited 1 s for it. Let that process finish, "
                    + "then run plumb again");
        }
        assertThat(debs.state("lib")).isEmpty();
    }
}

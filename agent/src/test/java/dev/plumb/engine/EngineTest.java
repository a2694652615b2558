package dev.plumb.engine;

import dev.plumb.Fixtures;
import dev.plumb.agent.BuiltInTypes;
import dev.plumb.api.Diagnostic;
import dev.plumb.catalog.Catalog;
import dev.plumb.catalog.CatalogResource;
import dev.plumb.catalog.Mode;
import static dev.plumb.Fixtures.catalog;
import static dev.plumb.Fixtures.content;
import static dev.plumb.Fixtures.resource;
import static dev.plumb.Fixtures.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.plumb.Fixtures;
import dev.plumb.RecordingRunner;
import dev.plumb.agent.BuiltInTypes;
import dev.plumb.catalog.Catalog;
import dev.plumb.catalog.CatalogResource;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.ResourceResult;
import dev.plumb.catalog.RunReport;
import dev.plumb.catalog.Status;
import dev.plumb.system.Hashing;
import dev.plumb.system.ProcessCommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineTest {

    @TempDir
    Path dir;

    private Engine engine() {
        return new Engine(Fixtures.context(new ProcessCommandRunner(), dir.resolve("state").resolve("backups")),
                BuiltInTypes.REGISTRY, 4,
                Clock.systemUTC());
    }

    private RunReport apply(Catalog catalog) throws InvalidCatalogException {
        return engine().run(catalog, Mode.APPLY);
    }

    private static ResourceResult result(RunReport report, String id) {
        return report.resources().stream().filter(r -> r.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no result for " + id + " in " + report.resources()));
    }

    private static Map<String, Status> statuses(RunReport report) {
        Map<String, Status> statuses = new TreeMap<>();
        report.resources().forEach(r -> statuses.put(r.id(), r.status()));
        return statuses;
    }

    private static CatalogResource file(Path path, String text) {
        return resource("file", path.toString(), content(text));
    }

    // --- failure isolation -------------------------------------------------------------------------------

    @Test
    void aFailureSkipsWhatRequiresItWhileIndependentResourcesStillChange() throws Exception {
        Path orphan = dir.resolve("missing").resolve("orphan.conf");
        Path dependent = dir.resolve("dependent.conf");
        Path independent = dir.resolve("independent.conf");
        Catalog catalog = catalog(
                file(orphan, "x\n"),
                resource("file", dependent.toString(), List.of("file:" + orphan), List.of(), content("y\n")),
                file(independent, "z\n"));

        RunReport report = apply(catalog);

        ResourceResult failed = result(report, "file:" + orphan);
        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(failed.error()).isEqualTo("parent directory " + orphan.getParent()
                + " does not exist; declare it as a directory resource");
        ResourceResult skipped = result(report, "file:" + dependent);
        assertThat(skipped.status()).isEqualTo(Status.SKIPPED);
        assertThat(skipped.error()).isEqualTo("dependency file[" + orphan + "] failed");
        assertThat(result(report, "file:" + independent).status()).isEqualTo(Status.CHANGED);
        assertThat(dependent).doesNotExist();
        assertThat(Files.readString(independent)).isEqualTo("z\n");
        assertThat(report.summary()).isEqualTo(new RunReport.Summary(3, 1, 1, 1));
        assertThat(report.exitCode()).isEqualTo(6);
    }

    @Test
    void aSkipIsPassedOnDownTheChain() throws Exception {
        Path orphan = dir.resolve("missing").resolve("orphan.conf");
        Path second = dir.resolve("second");
        Path third = dir.resolve("third");
        Catalog catalog = catalog(
                file(orphan, "x\n"),
                resource("file", second.toString(), List.of("file:" + orphan), List.of(), content("y\n")),
                resource("file", third.toString(), List.of("file:" + second), List.of(), content("z\n")));

        RunReport report = apply(catalog);

        assertThat(result(report, "file:" + third).status()).isEqualTo(Status.SKIPPED);
        assertThat(result(report, "file:" + third).error()).isEqualTo("dependency file[" + second + "] was skipped");
        assertThat(third).doesNotExist();
    }

    @Test
    void anUnexpectedFileErrorSaysWhatWentWrong() {
        assertThat(dev.plumb.system.FileErrors.describe(new java.nio.file.NoSuchFileException("/etc/x")))
                .isEqualTo("no such file or directory: /etc/x");
        assertThat(dev.plumb.system.FileErrors.describe(new java.nio.file.AccessDeniedException("/etc/x")))
                .isEqualTo("permission denied: /etc/x");
    }

    // --- notify ------------------------------------------------------------------------------------------

    @Test
    void aNotifiedExecRunsOnlyWhenItsNotifierChanged() throws Exception {
        Path config = dir.resolve("app.conf");
        Path log = dir.resolve("reload.log");
        Catalog catalog = catalog(
                resource("file", config.toString(), List.of(), List.of("exec:reload"), content("v1\n")),
                resource("exec", "reload", Map.of("command", "echo reloaded >> '" + log + "'", "refreshonly", true)));

        RunReport first = apply(catalog);
        RunReport second = apply(catalog);

        assertThat(statuses(first)).containsEntry("exec:reload", Status.CHANGED).containsEntry("file:" + config, Status.CHANGED);
        assertThat(result(first, "exec:reload").details())
                .containsExactly("run 'echo reloaded >> '" + log + "'' (notified by file[" + config + "])");
        assertThat(statuses(second)).containsOnly(
                Map.entry("file:" + config, Status.IN_SYNC), Map.entry("exec:reload", Status.IN_SYNC));
        assertThat(Files.readAllLines(log)).containsExactly("reloaded");
        assertThat(second.exitCode()).isZero();
    }

    @Test
    void aNotifiedExecRunsOnceForSeveralChangedNotifiers() throws Exception {
        Path log = dir.resolve("reload.log");
        Catalog catalog = catalog(
                resource("file", dir.resolve("a").toString(), List.of(), List.of("exec:reload"), content("a\n")),
                resource("file", dir.resolve("b").toString(), List.of(), List.of("exec:reload"), content("b\n")),
                resource("exec", "reload", Map.of("command", "echo reloaded >> '" + log + "'", "refreshonly", true)));

        apply(catalog);

        assertThat(Files.readAllLines(log)).containsExactly("reloaded");
    }

    @Test
    void aPlanOfANotifiedExecPredictsTheRefreshWithoutRunningIt() throws Exception {
        Path log = dir.resolve("reload.log");
        Catalog catalog = catalog(
                resource("file", dir.resolve("a").toString(), List.of(), List.of("exec:reload"), content("a\n")),
                resource("exec", "reload", Map.of("command", "echo reloaded >> '" + log + "'", "refreshonly", true)));

        RunReport plan = engine().run(catalog, Mode.PLAN);

        assertThat(result(plan, "exec:reload").status()).isEqualTo(Status.WOULD_CHANGE);
        assertThat(log).doesNotExist();
        assertThat(dir.resolve("a")).doesNotExist();
    }

    @Test
    void aFailedRefreshStaysPendingAndTheNextApplyDoesItUntilItSucceeds() throws Exception {
        Path config = dir.resolve("app.conf");
        Path log = dir.resolve("reload.log");
        CatalogResource file = resource("file", config.toString(), List.of(), List.of("exec:reload"), content("v1\n"));
        Engine.Prepared broken = Engine.prepare(catalog(file,
                resource("exec", "reload", Map.of("command", "exit 1", "refreshonly", true))), BuiltInTypes.REGISTRY);
        Engine.Prepared fixed = Engine.prepare(catalog(file,
                resource("exec", "reload", Map.of("command", "echo reloaded >> '" + log + "'", "refreshonly", true))),
                BuiltInTypes.REGISTRY);

        RunReport first = engine().run(broken, Mode.APPLY, PendingRefreshes.NONE);
        PendingRefreshes afterFirst = PendingRefreshes.NONE.after(broken, first.resources());
        RunReport plan = engine().run(fixed, Mode.PLAN, afterFirst);
        RunReport second = engine().run(fixed, Mode.APPLY, afterFirst);
        PendingRefreshes afterSecond = afterFirst.after(fixed, second.resources());
        RunReport third = engine().run(fixed, Mode.APPLY, afterSecond);

        assertThat(first.exitCode()).isEqualTo(6);
        assertThat(afterFirst.byResource()).isEqualTo(Map.of("exec:reload", List.of("file:" + config)));
        assertThat(result(plan, "exec:reload").details()).containsExactly(
                "run 'echo reloaded >> '" + log + "'' (notified by file[" + config + "] in an earlier run)");
        assertThat(statuses(second)).containsEntry("file:" + config, Status.IN_SYNC).containsEntry("exec:reload", Status.CHANGED);
        assertThat(afterSecond.byResource()).isEmpty();
        assertThat(third.exitCode()).isZero();
        assertThat(Files.readAllLines(log)).containsExactly("reloaded");
    }

    /** Records what an apply journals, with whether the refresh had run yet when it became due. */
    private static final class RecordingJournal implements RefreshJournal {
        final List<String> events = new ArrayList<>();
        private final BooleanSupplier refreshRan;

        RecordingJournal(BooleanSupplier refreshRan) {
            this.refreshRan = refreshRan;
        }

        @Override
        public synchronized void due(String id, String notifier) {
            events.add("due " + id + " by " + notifier + (refreshRan.getAsBoolean() ? " after it ran" : ""));
        }

        @Override
        public synchronized void done(String id) {
            events.add("done " + id);
        }
    }

    @Test
    void aRefreshIsJournaledAsDueBeforeItRunsAndAsDoneOnceItSucceeded() throws Exception {
        Path config = dir.resolve("app.conf");
        Path log = dir.resolve("reload.log");
        Engine.Prepared prepared = Engine.prepare(catalog(
                resource("file", config.toString(), List.of(), List.of("exec:reload"), content("v1\n")),
                resource("exec", "reload", Map.of("command", "echo reloaded >> '" + log + "'", "refreshonly", true))),
                BuiltInTypes.REGISTRY);
        RecordingJournal journal = new RecordingJournal(() -> Files.exists(log));

        engine().run(prepared, Mode.APPLY, PendingRefreshes.NONE, journal);

        assertThat(journal.events).containsExactly("due exec:reload by file:" + config, "done exec:reload");
        assertThat(log).exists();
    }

    @Test
    void aFailedRefreshStaysInTheJournal() throws Exception {
        Path config = dir.resolve("app.conf");
        Engine.Prepared prepared = Engine.prepare(catalog(
                resource("file", config.toString(), List.of(), List.of("exec:reload"), content("v1\n")),
                resource("exec", "reload", Map.of("command", "exit 1", "refreshonly", true))), BuiltInTypes.REGISTRY);
        RecordingJournal journal = new RecordingJournal(() -> false);

        engine().run(prepared, Mode.APPLY, PendingRefreshes.NONE, journal);

        assertThat(journal.events).containsExactly("due exec:reload by file:" + config);
    }

    @Test
    void batchedResourcesThatChangeJournalTheRefreshesTheyNotify() throws Exception {
        // Both installed, as dpkg says; apt removes them (nothing is run: the runner only answers).
        RecordingRunner apt = new RecordingRunner().answerPrefix("dpkg-query", 0,
                "plumbtest-a\tii \t1.0\nplumbtest-b\tii \t1.0\n", "");
        Engine.Prepared prepared = Engine.prepare(catalog(
                resource("package", "plumbtest-a", List.of(), List.of("exec:reload"), Map.of("ensure", "absent")),
                resource("package", "plumbtest-b", List.of(), List.of("exec:reload"), Map.of("ensure", "absent")),
                resource("exec", "reload", Map.of("command", "reload-it", "refreshonly", true))), BuiltInTypes.REGISTRY);
        assertThat(prepared.batches()).containsKey("package:plumbtest-a");
        RecordingJournal journal = new RecordingJournal(() -> apt.lines().contains("reload-it"));

        RunReport report = new Engine(Fixtures.context(apt, dir.resolve("backups")), BuiltInTypes.REGISTRY, 4, Clock.systemUTC())
                .run(prepared, Mode.APPLY, PendingRefreshes.NONE, journal);

        assertThat(statuses(report)).as(report.resources().toString()).containsEntry("package:plumbtest-a", Status.CHANGED);
        assertThat(journal.events).containsExactly("due exec:reload by package:plumbtest-a",
                "due exec:reload by package:plumbtest-b", "done exec:reload");
    }

    @Test
    void aRefreshSkippedBecauseADependencyFailedStaysPending() throws Exception {
        Path config = dir.resolve("app.conf");
        Path orphan = dir.resolve("missing").resolve("orphan.conf");
        Engine.Prepared prepared = Engine.prepare(catalog(
                resource("file", config.toString(), List.of(), List.of("exec:reload"), content("v1\n")),
                file(orphan, "x\n"),
                resource("exec", "reload", List.of("file:" + orphan), List.of(), Map.of("command", "true", "refreshonly", true))),
                BuiltInTypes.REGISTRY);

        RunReport report = engine().run(prepared, Mode.APPLY, PendingRefreshes.NONE);

        assertThat(result(report, "exec:reload").status()).isEqualTo(Status.SKIPPED);
        assertThat(PendingRefreshes.NONE.after(prepared, report.resources()).byResource())
                .isEqualTo(Map.of("exec:reload", List.of("file:" + config)));
    }

    @Test
    void aPendingRefreshOfAResourceNoLongerInTheCatalogIsForgotten() throws Exception {
        Engine.Prepared prepared = Engine.prepare(catalog(file(dir.resolve("a"), "a\n")), BuiltInTypes.REGISTRY);
        PendingRefreshes pending = new PendingRefreshes(Map.of("exec:gone", List.of("file:/etc/x")));

        RunReport report = engine().run(prepared, Mode.APPLY, pending);

        assertThat(pending.after(prepared, report.resources()).byResource()).isEmpty();
    }

    // --- check -------------------------------------------------------------------------------------------

    /** Every path under {@code root} with what it is, its content (or link target), mode and modification time. */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> snapshot = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.toList()) {
                BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String what;
                if (attributes.isSymbolicLink()) {
                    what = "link->" + Files.readSymbolicLink(path);
                } else if (attributes.isDirectory()) {
                    what = "dir";
                } else {
                    what = "file:" + Hashing.sha256(path);
                }
                FileTime modified = attributes.lastModifiedTime();
                String mode = attributes.isSymbolicLink() ? "" : Files.getPosixFilePermissions(path).toString();
                snapshot.put(path.toString(), what + " " + mode + " " + modified.toInstant());
            }
        }
        return snapshot;
    }

    @Test
    void checkWritesNothingAndReportsDrift() throws Exception {
        Path drifted = Files.writeString(dir.resolve("drifted.conf"), "old\n");
        Path wrongMode = Files.writeString(dir.resolve("mode.conf"), "same\n");
        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n");
        Path link = Files.createSymbolicLink(dir.resolve("current"), Path.of("release-1"));
        Path stray = Files.createDirectories(dir.resolve("purged")).resolve("stray");
        Files.writeString(stray, "stray\n");
        Files.setLastModifiedTime(drifted, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        Catalog catalog = catalog(
                file(drifted, "new\n"),
                resource("file", wrongMode.toString(), with(content("same\n"), "mode", "0600")),
                file(dir.resolve("new.conf"), "created\n"),
                resource("directory", dir.resolve("newdir").toString(), Map.of("mode", "0750")),
                resource("directory", dir.resolve("purged").toString(), Map.of("purge", true)),
                resource("line", "db host", Map.of("path", hosts.toString(), "text", "10.0.0.1 db")),
                resource("symlink", link.toString(), Map.of("target", "release-2")),
                resource("file", dir.resolve("gone").toString(), Map.of("ensure", "absent")),
                resource("exec", "touch " + dir.resolve("ran"), Map.of()));
        Map<String, String> before = snapshot(dir);

        RunReport report = engine().run(catalog, Mode.CHECK);

        assertThat(snapshot(dir)).isEqualTo(before);
        assertThat(report.mode()).isEqualTo(Mode.CHECK);
        assertThat(statuses(report)).containsOnly(
                Map.entry("file:" + drifted, Status.WOULD_CHANGE),
                Map.entry("file:" + wrongMode, Status.WOULD_CHANGE),
                Map.entry("file:" + dir.resolve("new.conf"), Status.WOULD_CHANGE),
                Map.entry("directory:" + dir.resolve("newdir"), Status.WOULD_CHANGE),
                Map.entry("directory:" + dir.resolve("purged"), Status.WOULD_CHANGE),
                Map.entry("line:db host", Status.WOULD_CHANGE),
                Map.entry("symlink:" + link, Status.WOULD_CHANGE),
                Map.entry("file:" + dir.resolve("gone"), Status.IN_SYNC),
                Map.entry("exec:touch " + dir.resolve("ran"), Status.WOULD_CHANGE));
        assertThat(report.summary()).isEqualTo(new RunReport.Summary(9, 8, 0, 0));
        assertThat(report.exitCode()).isEqualTo(2);
    }

    @Test
    void applyAfterCheckConvergesAndASecondApplyChangesNothing() throws Exception {
        Path drifted = Files.writeString(dir.resolve("drifted.conf"), "old\n");
        Catalog catalog = catalog(
                file(drifted, "new\n"),
                resource("directory", dir.resolve("newdir").toString(), Map.of("mode", "0750")),
                file(dir.resolve("newdir").resolve("inner"), "inner\n"));

        RunReport applied = apply(catalog);
        RunReport again = apply(catalog);
        RunReport check = engine().run(catalog, Mode.CHECK);

        assertThat(applied.exitCode()).isEqualTo(2);
        assertThat(statuses(applied)).containsOnlyKeys("file:" + drifted, "directory:" + dir.resolve("newdir"),
                "file:" + dir.resolve("newdir").resolve("inner")).doesNotContainValue(Status.IN_SYNC);
        assertThat(again.summary().changed()).isZero();
        assertThat(again.exitCode()).isZero();
        assertThat(check.exitCode()).isZero();
    }

    // --- exit codes --------------------------------------------------------------------------------------

    @Test
    void nothingToDoExitsWithZero() throws Exception {
        Path path = Files.writeString(dir.resolve("same"), "same\n");

        assertThat(apply(catalog(file(path, "same\n"))).exitCode()).isZero();
        assertThat(apply(catalog()).exitCode()).isZero();
    }

    @Test
    void changesExitWithTwo() throws Exception {
        assertThat(apply(catalog(file(dir.resolve("new"), "x\n"))).exitCode()).isEqualTo(2);
    }

    @Test
    void aPlanWithPendingChangesExitsWithTwo() throws Exception {
        assertThat(engine().run(catalog(file(dir.resolve("new"), "x\n")), Mode.PLAN).exitCode()).isEqualTo(2);
    }

    @Test
    void aFailureExitsWithFour() throws Exception {
        RunReport report = apply(catalog(file(dir.resolve("missing").resolve("f"), "x\n")));

        assertThat(report.exitCode()).isEqualTo(4);
    }

    @Test
    void changesAndAFailureExitWithSix() throws Exception {
        RunReport report = apply(catalog(file(dir.resolve("missing").resolve("f"), "x\n"), file(dir.resolve("ok"), "x\n")));

        assertThat(report.exitCode()).isEqualTo(6);
    }

    @Test
    void theExitCodeFollowsTheSummary() {
        assertThat(reportWith(new RunReport.Summary(5, 0, 0, 0)).exitCode()).isZero();
        assertThat(reportWith(new RunReport.Summary(5, 3, 0, 0)).exitCode()).isEqualTo(2);
        assertThat(reportWith(new RunReport.Summary(5, 0, 1, 0)).exitCode()).isEqualTo(4);
        assertThat(reportWith(new RunReport.Summary(5, 0, 0, 1)).exitCode()).isEqualTo(4);
        assertThat(reportWith(new RunReport.Summary(5, 2, 1, 1)).exitCode()).isEqualTo(6);
        assertThat(RunReport.unreachable("id", "web1", Mode.APPLY, "now", "ssh failed").exitCode()).isEqualTo(4);
    }

    private static RunReport reportWith(RunReport.Summary summary) {
        return new RunReport("id", "local", Mode.APPLY, "sha", null, "now", 1, summary, List.of(), null);
    }

    @Test
    void theReportNamesTheHostModeAndCatalog() throws Exception {
        Catalog catalog = catalog(file(dir.resolve("f"), "x\n"));
        Clock clock = Clock.fixed(Instant.parse("2025-06-01T12:00:00Z"), ZoneOffset.UTC);

        RunReport report = new Engine(Fixtures.context(new ProcessCommandRunner(), dir.resolve("backups")),
                BuiltInTypes.REGISTRY, 2, clock)
                .run(catalog, Mode.PLAN);

        assertThat(report.host()).isEqualTo("local");
        assertThat(report.mode()).isEqualTo(Mode.PLAN);
        assertThat(report.startedAt()).isEqualTo("2025-06-01T12:00:00Z");
        assertThat(report.catalogSha256()).isEqualTo(Engine.catalogSha256(catalog)).hasSize(64);
        assertThat(report.error()).isNull();
    }

    // --- invalid catalogs --------------------------------------------------------------------------------

    private InvalidCatalogException invalid(Catalog catalog) {
        InvalidCatalogException e = catchThrowableOfType(InvalidCatalogException.class, () -> apply(catalog));
        assertThat(e).as("the catalog is refused").isNotNull();
        return e;
    }

    private static Catalog everyProblemButACycle(Path dir) {
        Path owned = dir.resolve("owned.conf");
        Path shared = dir.resolve("shared");
        return catalog(
                resource("file", dir.resolve("a").toString(), List.of("file:/nope"), List.of(), content("a\n")),
                resource("file", shared.toString(), content("x\n")),
                resource("symlink", shared.toString(), Map.of("target", "elsewhere")),
                resource("file", owned.toString(), content("whole\n")),
                resource("line", "extra", Map.of("path", owned.toString(), "text", "more")),
                resource("directory", dir.resolve("d").toString(), Map.of()),
                resource("file", dir.resolve("b").toString(), List.of(), List.of("directory:" + dir.resolve("d")),
                        content("b\n")));
    }

    @Test
    void anInvalidCatalogIsRefusedWithEveryProblemAndNothingChanges() throws Exception {
        Map<String, String> before = snapshot(dir);

        InvalidCatalogException e = invalid(everyProblemButACycle(dir));

        Path shared = dir.resolve("shared");
        Path owned = dir.resolve("owned.conf");
        assertThat(e.problems()).containsExactlyInAnyOrder(
                Diagnostic.ofResource("file:" + dir.resolve("a"), "requires", "refers to file:/nope, which is not declared"),
                Diagnostic.ofResource("symlink:" + shared, null, "manages " + shared + ", which file[" + shared
                        + "] already manages"),
                Diagnostic.ofResource("line:extra", "path", "edits " + owned + ", whose whole content file[" + owned
                        + "] manages; put the line in that resource's content instead"),
                Diagnostic.ofResource("file:" + dir.resolve("b"), "notify", "directory[" + dir.resolve("d")
                        + "] cannot be notified; only exec and service resources refresh when notified"));
        assertThat(e.getMessage().lines()).hasSize(4)
                .contains("file[" + dir.resolve("a") + "] requires: refers to file:/nope, which is not declared");
        assertThat(snapshot(dir)).isEqualTo(before);
    }

    @Test
    void aMisspeltReferenceGetsASuggestion() {
        Path a = dir.resolve("a");
        InvalidCatalogException e = invalid(catalog(
                file(a, "a\n"),
                resource("exec", "restart", List.of("file:" + dir.resolve("b")), List.of(), Map.of())));

        assertThat(e.problems()).singleElement().satisfies(p ->
                assertThat(p.summary()).endsWith("; did you mean 'file:" + a + "'?"));
    }

    @Test
    void aCycleIsRefusedNamingTheWholeCycle() {
        InvalidCatalogException e = invalid(catalog(
                resource("exec", "a", List.of("exec:b"), List.of(), Map.of()),
                resource("exec", "b", List.of("exec:c"), List.of(), Map.of()),
                resource("exec", "c", List.of("exec:a"), List.of(), Map.of())));

        assertThat(e.problems()).containsExactly(
                Diagnostic.ofResource("exec:a", null, "dependency cycle: exec[a] needs exec[b] needs exec[c] needs exec[a]"));
        assertThat(e.getMessage()).isEqualTo("exec[a]: dependency cycle: exec[a] needs exec[b] needs exec[c] needs exec[a]");
    }

    @Test
    void aCycleIsReportedAlongsideTheOtherProblems() {
        Catalog catalog = everyProblemButACycle(dir);
        List<CatalogResource> resources = new java.util.ArrayList<>(catalog.resources());
        resources.add(resource("exec", "x", List.of("exec:y"), List.of(), Map.of()));
        resources.add(resource("exec", "y", List.of("exec:x"), List.of(), Map.of()));

        InvalidCatalogException e = invalid(new Catalog(Catalog.VERSION, catalog.host(), resources));

        assertThat(e.problems()).hasSize(5)
                .anySatisfy(p -> assertThat(p.summary()).startsWith("dependency cycle: exec[x] needs exec[y]"));
    }

    @Test
    void aResourceDeclaredTwiceIsRefused() {
        Path path = dir.resolve("twice");

        InvalidCatalogException e = invalid(catalog(file(path, "1\n"), file(path, "2\n")));

        assertThat(e.problems()).contains(Diagnostic.ofResource("file:" + path, null, "is declared more than once"));
    }

    @Test
    void badAttributesAreRefusedNamingTheResourceAndAttribute() {
        InvalidCatalogException e = invalid(catalog(
                resource("file", "relative/path", Map.of("mode", "8888")),
                resource("daemon", "nginx", Map.of()),
                resource("exec", "x", Map.of("timeout", 0))));

        assertThat(e.problems()).extracting(Diagnostic::resourceId, Diagnostic::attribute).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("file:relative/path", "path"),
                org.assertj.core.groups.Tuple.tuple("file:relative/path", "mode"),
                org.assertj.core.groups.Tuple.tuple("daemon:nginx", null),
                org.assertj.core.groups.Tuple.tuple("exec:x", "timeout"));
        assertThat(e.problems()).filteredOn(p -> p.resourceId().equals("daemon:nginx")).singleElement()
                .satisfies(p -> assertThat(p.summary()).startsWith("unknown resource type 'daemon'; known types: file,"));
    }

    // --- implicit edges ----------------------------------------------------------------------------------

    @Test
    void aFileUnderAManagedDirectoryIsAppliedAfterItEvenWhenDeclaredFirst() throws Exception {
        Path directory = dir.resolve("etc").resolve("app");
        Path inner = directory.resolve("conf.d").resolve("main.conf");
        Catalog catalog = catalog(
                file(inner, "inner\n"),
                resource("directory", directory.resolve("conf.d").toString(), Map.of("mode", "0750")),
                resource("directory", directory.toString(), Map.of()));

        RunReport report = apply(catalog);

        assertThat(report.resources()).extracting(ResourceResult::id).containsExactly(
                "directory:" + directory, "directory:" + directory.resolve("conf.d"), "file:" + inner);
        assertThat(report.resources()).extracting(ResourceResult::status).containsOnly(Status.CHANGED);
        assertThat(Files.readString(inner)).isEqualTo("inner\n");
        ResourceGraph graph = Engine.prepare(catalog, BuiltInTypes.REGISTRY).graph();
        assertThat(graph.graph().dependenciesOf("file:" + inner)).containsExactly("directory:" + directory.resolve("conf.d"));
    }

    @Test
    void linesOnOneFileApplyAfterTheFileAndOneAfterAnother() throws Exception {
        Path hosts = dir.resolve("hosts");
        Catalog catalog = catalog(
                resource("line", "db", Map.of("path", hosts.toString(), "text", "10.0.0.1 db")),
                resource("line", "cache", Map.of("path", hosts.toString(), "text", "10.0.0.2 cache")),
                resource("file", hosts.toString(), Map.of("mode", "0644")));

        RunReport first = apply(catalog);
        RunReport second = apply(catalog);

        assertThat(first.resources()).extracting(ResourceResult::id).containsExactly("file:" + hosts, "line:db", "line:cache");
        assertThat(first.resources()).extracting(ResourceResult::status).containsOnly(Status.CHANGED);
        assertThat(Files.readString(hosts)).isEqualTo("10.0.0.1 db\n10.0.0.2 cache\n");
        assertThat(second.summary().changed()).isZero();
    }

    @Test
    void aPurgeKeepsFilesThatTheCatalogManages() throws Exception {
        Path directory = Files.createDirectory(dir.resolve("conf.d"));
        Files.writeString(directory.resolve("stray.conf"), "stray\n");
        Catalog catalog = catalog(
                resource("directory", directory.toString(), Map.of("purge", true)),
                file(directory.resolve("main.conf"), "main\n"),
                resource("symlink", directory.resolve("current").toString(), Map.of("target", "main.conf")));

        RunReport report = apply(catalog);

        assertThat(report.exitCode()).isEqualTo(2);
        assertThat(directory.resolve("stray.conf")).doesNotExist();
        assertThat(Files.readString(directory.resolve("main.conf"))).isEqualTo("main\n");
        assertThat(Files.isSymbolicLink(directory.resolve("current"))).isTrue();
        assertThat(apply(catalog).summary().changed()).isZero();
    }

    @Test
    void aPurgeKeepsAFileThatALineResourceEdits() throws Exception {
        Path directory = Files.createDirectory(dir.resolve("conf.d"));
        Path edited = Files.writeString(directory.resolve("local.conf"), "local\n");
        Catalog catalog = catalog(
                resource("directory", directory.toString(), Map.of("purge", true)),
                resource("line", "extra", Map.of("path", edited.toString(), "text", "extra")));

        RunReport report = apply(catalog);

        assertThat(statuses(report)).containsEntry("line:extra", Status.CHANGED);
        assertThat(Files.readString(edited)).isEqualTo("local\nextra\n");
    }
}

package dev.plumb.engine;

import static dev.plumb.Fixtures.catalog;
import static dev.plumb.Fixtures.content;
import static dev.plumb.Fixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.Fixtures;
import dev.plumb.agent.BuiltInTypes;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.Change;
import dev.plumb.api.PreparedCheck;
import dev.plumb.api.Resource;
import dev.plumb.api.TypeRegistry;
import dev.plumb.catalog.CatalogResource;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.ResourceResult;
import dev.plumb.catalog.RunReport;
import dev.plumb.catalog.Status;
import dev.plumb.system.ProcessCommandRunner;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine as a long-lived service: parallel apply, a pool shared by its runs, partial converges. */
class LongLivedEngineTest {

    @TempDir
    Path dir;

    private Engine engine(TypeRegistry types) {
        return new Engine(Fixtures.context(new ProcessCommandRunner(), dir.resolve("backups")), types, 4,
                Clock.systemUTC());
    }

    private static Map<String, Status> statuses(RunReport report) {
        Map<String, Status> statuses = new TreeMap<>();
        report.resources().forEach(r -> statuses.put(r.id(), r.status()));
        return statuses;
    }

    @Test
    void independentResourcesConvergeAtTheSameTime() throws Exception {
        // Each exec leaves its marker, then waits (bounded) for all four: they can only all succeed if they run at
        // the same time; one after the other, the first would give up waiting and fail.
        List<Path> markers = IntStream.rangeClosed(1, 4).mapToObj(i -> dir.resolve("marker" + i)).toList();
        String allThere = String.join(" && ", markers.stream().map(m -> "[ -e '" + m + "' ]").toList());
        CatalogResource[] execs = markers.stream().map(marker -> resource("exec", "wait for " + marker.getFileName(),
                Map.of("command", "touch '" + marker + "'; i=0; until " + allThere + "; do i=$((i+1)); "
                        + "[ $i -ge 400 ] && exit 1; sleep 0.05; done", "creates", marker.toString())))
                .toArray(CatalogResource[]::new);

        try (Engine engine = engine(BuiltInTypes.REGISTRY)) {
            RunReport report = engine.run(catalog(execs), Mode.APPLY);

            assertThat(report.resources()).extracting(ResourceResult::status).containsOnly(Status.CHANGED).hasSize(4);
        }
    }

    @Test
    void aSecondRunOnTheSameEngineUsesTheThreadsOfTheFirst() throws Exception {
        Map<String, Thread> threads = new ConcurrentHashMap<>();
        // As many independent probes as the pool has threads: the first run starts all of them.
        var catalog = catalog(IntStream.rangeClosed(1, 4).mapToObj(i -> resource("probe", "p" + i, Map.of()))
                .toArray(CatalogResource[]::new));

        // probe: a resource that records the thread it converges on.
        TypeRegistry types = new WithType("probe", name -> (context, apply) -> {
            threads.put(name, Thread.currentThread());
            return new Change();
        });

        try (Engine engine = engine(types)) {
            engine.run(catalog, Mode.APPLY);
            Set<Thread> first = Set.copyOf(threads.values());
            threads.clear();
            engine.run(catalog, Mode.APPLY);

            assertThat(first).allSatisfy(thread -> assertThat(thread.getName()).startsWith("plumb-engine-"));
            assertThat(Set.copyOf(threads.values())).isNotEmpty().isSubsetOf(first);
        }
    }

    @Test
    void aPartialConvergeTouchesOnlyTheNamedResourcesAndWhatTheyNotify() throws Exception {
        Path config = dir.resolve("app.conf");
        Path reloaded = dir.resolve("reloaded");
        Path other = dir.resolve("other.conf");
        Engine.Prepared prepared = Engine.prepare(catalog(
                resource("file", config.toString(), List.of(), List.of("exec:reload"), content("v1\n")),
                resource("exec", "reload", Map.of("command", "touch '" + reloaded + "'", "refreshonly", true)),
                resource("file", other.toString(), content("other\n"))), BuiltInTypes.REGISTRY);

        try (Engine engine = engine(BuiltInTypes.REGISTRY)) {
            RunReport report = engine.converge(prepared, Mode.APPLY, PendingRefreshes.NONE, RefreshJournal.NONE,
                    Set.of("file:" + config));

            assertThat(statuses(report)).containsExactly(Map.entry("exec:reload", Status.CHANGED),
                    Map.entry("file:" + config, Status.CHANGED));
            assertThat(reloaded).exists();
            assertThat(other).doesNotExist();
        }
    }

    @Test
    void aPartialApplyJournalsTheRefreshesItMakesDue() throws Exception {
        Path config = dir.resolve("app.conf");
        Engine.Prepared prepared = Engine.prepare(catalog(
                resource("file", config.toString(), List.of(), List.of("exec:reload"), content("v1\n")),
                resource("exec", "reload", Map.of("command", "true", "refreshonly", true))), BuiltInTypes.REGISTRY);
        List<String> journal = new CopyOnWriteArrayList<>();
        RefreshJournal recording = new RefreshJournal() {
            @Override
            public void due(String id, String notifier) {
                journal.add("due " + id + " from " + notifier);
            }

            @Override
            public void done(String id) {
                journal.add("done " + id);
            }
        };

        try (Engine engine = engine(BuiltInTypes.REGISTRY)) {
            engine.converge(prepared, Mode.APPLY, PendingRefreshes.NONE, recording, Set.of("file:" + config));
        }

        assertThat(journal).containsExactly("due exec:reload from file:" + config, "done exec:reload");
    }

    @Test
    void aPartialApplyKeepsWhatIsPendingOutsideItsPart() throws Exception {
        Path config = dir.resolve("app.conf");
        Engine.Prepared prepared = Engine.prepare(catalog(
                resource("file", config.toString(), content("v1\n")),
                resource("exec", "restart", Map.of("command", "false", "refreshonly", true))), BuiltInTypes.REGISTRY);
        PendingRefreshes pending = new PendingRefreshes(Map.of("exec:restart", List.of("file:/etc/app/other.conf"),
                "exec:removed-from-the-catalog", List.of("file:/etc/old")));

        try (Engine engine = engine(BuiltInTypes.REGISTRY)) {
            RunReport report = engine.converge(prepared, Mode.APPLY, pending, RefreshJournal.NONE, Set.of("file:" + config));

            assertThat(pending.after(prepared, report.resources()).byResource())
                    .containsExactly(Map.entry("exec:restart", List.of("file:/etc/app/other.conf")));
        }
    }

    @Test
    void anInterruptStopsTheRunInProgressAndTheNextRunConverges() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Path first = dir.resolve("first");
        Path second = dir.resolve("second");
        TypeRegistry types = new WithType("gate", name -> (context, apply) -> {
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Change();
        });

        try (Engine engine = engine(types)) {
            Engine.Prepared gated = Engine.prepare(catalog(resource("gate", "g", Map.of()),
                    resource("file", first.toString(), List.of("gate:g"), List.of(), content("x\n"))), types);
            CompletableFuture<RunReport> interrupted = CompletableFuture.supplyAsync(() -> engine.run(gated, Mode.APPLY));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            engine.interrupt();
            release.countDown();
            RunReport next = engine.run(catalog(resource("file", second.toString(), content("y\n"))), Mode.APPLY);

            RunReport stopped = interrupted.get(10, TimeUnit.SECONDS);
            assertThat(stopped.resources()).filteredOn(r -> r.id().equals("file:" + first)).singleElement()
                    .extracting(ResourceResult::status, ResourceResult::error).containsExactly(Status.SKIPPED, "run interrupted");
            assertThat(stopped.exitCode()).isEqualTo(4);
            assertThat(first).doesNotExist();
            assertThat(statuses(next)).containsExactly(Map.entry("file:" + second, Status.CHANGED));
            assertThat(second).hasContent("y");
        }
    }

    /** The built-in types plus {@code type}, whose resource of each name {@code make} gives. */
    private record WithType(String type, Function<String, Resource> make) implements TypeRegistry {

        @Override
        public Resource resource(String type, String name, Map<String, Object> attributes) {
            return type.equals(this.type) ? make.apply(name) : BuiltInTypes.REGISTRY.resource(type, name, attributes);
        }

        @Override
        public List<Diagnostic> checkProblems(String type, String target, Map<String, Object> attributes) {
            return BuiltInTypes.REGISTRY.checkProblems(type, target, attributes);
        }

        @Override
        public PreparedCheck check(String type, String target, Map<String, Object> attributes) {
            return BuiltInTypes.REGISTRY.check(type, target, attributes);
        }
    }

    @Test
    void eachApplyHoldsTheHostLockWhileItRunsAndPlansTakeNone() throws Exception {
        CountingLock lock = new CountingLock();
        try (Engine engine = new Engine(Fixtures.context(new ProcessCommandRunner(), dir.resolve("backups")),
                BuiltInTypes.REGISTRY, 2, Clock.systemUTC(), lock)) {
            var catalog = catalog(resource("file", dir.resolve("motd").toString(), content("hello\n")));

            engine.run(catalog, Mode.PLAN);
            engine.run(catalog, Mode.APPLY);
            engine.run(catalog, Mode.APPLY);

            assertThat(lock.acquired).hasValue(2);
            assertThat(lock.released).hasValue(2);
        }
    }

    @Test
    void runsOfAnEngineItsCallerHoldsTakeTheHostLockNoSecondTime() throws Exception {
        CountingLock lock = new CountingLock();
        try (Engine engine = new Engine(Fixtures.context(new ProcessCommandRunner(), dir.resolve("backups")),
                BuiltInTypes.REGISTRY, 2, Clock.systemUTC(), lock)) {
            var catalog = catalog(resource("file", dir.resolve("motd").toString(), content("hello\n")));

            engine.holdHost();
            engine.run(catalog, Mode.APPLY);
            engine.run(catalog, Mode.APPLY);
            assertThat(lock.released).hasValue(0);
            engine.releaseHost();

            assertThat(lock.acquired).hasValue(1);
            assertThat(lock.released).hasValue(1);
        }
    }

    /** A host lock that counts how often it was taken and released. */
    private static final class CountingLock implements HostLock {
        final AtomicInteger acquired = new AtomicInteger();
        final AtomicInteger released = new AtomicInteger();

        @Override
        public Held acquire() {
            acquired.incrementAndGet();
            return released::incrementAndGet;
        }
    }
}

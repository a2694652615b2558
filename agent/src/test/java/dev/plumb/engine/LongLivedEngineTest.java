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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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

        try (Engine engine = engine(new ThreadRecordingTypes(threads))) {
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
            RunReport report = engine.converge(prepared, Mode.APPLY, PendingRefreshes.NONE, Set.of("file:" + config));

            assertThat(statuses(report)).containsExactly(Map.entry("exec:reload", Status.CHANGED),
                    Map.entry("file:" + config, Status.CHANGED));
            assertThat(reloaded).exists();
            assertThat(other).doesNotExist();
        }
    }

    @Test
    void anApplyHoldsTheHostLockWhileItRunsAndAPlanDoesNot() throws Exception {
        Path motd = dir.resolve("motd");
        List<String> events = new CopyOnWriteArrayList<>();
        HostLock recording = () -> {
            events.add("hold");
            return () -> events.add("release");
        };
        var catalog = catalog(resource("exec", "observe", Map.of("command", "echo > '" + motd + "'",
                "creates", motd.toString())));

        try (Engine engine = new Engine(Fixtures.context(new ProcessCommandRunner(), dir.resolve("backups")),
                BuiltInTypes.REGISTRY, 4, Clock.systemUTC(), recording)) {
            engine.run(catalog, Mode.PLAN);
            assertThat(events).isEmpty();
            RunReport apply = engine.run(catalog, Mode.APPLY);

            assertThat(events).containsExactly("hold", "release");
            assertThat(apply.resources()).singleElement().extracting(ResourceResult::status).isEqualTo(Status.CHANGED);
        }
    }

    @Test
    void anApplyRefusedTheHostLockChangesNothingAndSaysWhy() throws Exception {
        Path motd = dir.resolve("motd");
        HostLock taken = () -> {
            throw new HostLock.Refused("another plumb run (pid 4242) holds the lock since 12:03:05");
        };

        try (Engine engine = new Engine(Fixtures.context(new ProcessCommandRunner(), dir.resolve("backups")),
                BuiltInTypes.REGISTRY, 4, Clock.systemUTC(), taken)) {
            RunReport report = engine.run(catalog(resource("file", motd.toString(), content("hello\n"))), Mode.APPLY);

            assertThat(report.error()).isEqualTo("another plumb run (pid 4242) holds the lock since 12:03:05");
            assertThat(report.exitCode()).isEqualTo(4);
            assertThat(motd).doesNotExist();
        }
    }

    /** The built-in types plus {@code probe}, a resource that records the thread it converges on. */
    private record ThreadRecordingTypes(Map<String, Thread> threads) implements TypeRegistry {

        @Override
        public Resource resource(String type, String name, Map<String, Object> attributes) {
            if (!type.equals("probe")) {
                return BuiltInTypes.REGISTRY.resource(type, name, attributes);
            }
            return (context, apply) -> {
                threads.put(name, Thread.currentThread());
                return new Change();
            };
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
}

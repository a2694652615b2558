package dev.plumb.engine;

import dev.plumb.api.Batched;
import dev.plumb.api.Change;
import dev.plumb.api.Context;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.InvalidEntryException;
import dev.plumb.api.PathBound;
import dev.plumb.api.PreparedCheck;
import dev.plumb.api.Refreshable;
import dev.plumb.api.Resource;
import dev.plumb.api.ResourceException;
import dev.plumb.api.TypeRegistry;
import dev.plumb.catalog.Catalog;
import dev.plumb.catalog.CatalogCheck;
import dev.plumb.catalog.CatalogResource;
import dev.plumb.catalog.Json;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.ResourceResult;
import dev.plumb.catalog.RunReport;
import dev.plumb.catalog.Status;
import dev.plumb.system.FileErrors;
import dev.plumb.system.Hashing;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * Runs a catalog on this host: resources in dependency order, independent ones in parallel on a bounded pool.
 * A failure marks what depends on it as skipped while everything independent goes on; a change notifies
 * the resources it names, which refresh once after it, as do those whose refresh is pending from an earlier run.
 * Once interrupted, it starts no more resources: they come out skipped.
 */
public final class Engine {

    private final Context context;
    private final TypeRegistry types;
    private final int parallelism;
    private final Clock clock;
    private volatile boolean interrupted;

    public Engine(Context context, TypeRegistry types, int parallelism, Clock clock) {
        this.context = context;
        this.types = types;
        this.parallelism = parallelism;
        this.clock = clock;
    }

    /** A pool size for this machine: resources mostly wait on disks and commands, so more than the cores. */
    public static int defaultParallelism() {
        return Math.min(16, Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Instantiates and validates every resource, the graph and every check; throws with every problem, before any
     * run. A check's problems name it as {@code check http[URL]}. The {@code types} say what each entry's type is.
     */
    public static Prepared prepare(Catalog catalog, TypeRegistry types) throws InvalidCatalogException {
        List<Diagnostic> problems = new ArrayList<>();
        Map<String, Resource> resources = new LinkedHashMap<>();
        for (CatalogResource spec : catalog.resources()) {
            problems.addAll(instantiate(spec, types, resources));
        }
        ResourceGraph graph = ResourceGraph.build(catalog.resources(), resources);
        problems.addAll(graph.problems());
        List<PreparedCheck> checks = new ArrayList<>();
        for (CatalogCheck spec : catalog.checks()) {
            List<Diagnostic> checkProblems = types.checkProblems(spec.type(), spec.target(), spec.attributes());
            checkProblems.forEach(p -> problems.add(p.forResource("check " + spec.type() + ":" + spec.target())));
            if (checkProblems.isEmpty()) {
                checks.add(types.check(spec.type(), spec.target(), spec.attributes()));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidCatalogException(problems);
        }
        List<String> order = graph.graph().topologicalOrder();
        return new Prepared(catalog, resources, graph, order, graph.batches(order, resources), checks);
    }

    /** The problems of one resource on its own, without the rest of the catalog. */
    public static List<Diagnostic> validate(CatalogResource spec, TypeRegistry types) {
        return instantiate(spec, types, new HashMap<>());
    }

    /** Instantiates and validates {@code spec}; adds it to {@code resources} when well typed; returns its problems. */
    private static List<Diagnostic> instantiate(CatalogResource spec, TypeRegistry types,
                                                Map<String, Resource> resources) {
        try {
            Resource resource = types.resource(spec.type(), spec.name(), spec.attributes());
            resources.putIfAbsent(spec.id(), resource);
            return resource.validate().stream().map(p -> p.forResource(spec.id())).toList();
        } catch (InvalidEntryException e) {
            return List.of(Diagnostic.ofResource(spec.id(), null, e.getMessage()));
        }
    }

    /**
     * A catalog whose resources, graph and checks are known to be valid, with its run order and its batches: for
     * each batched resource that converges together with others, the whole group in run order.
     */
    public record Prepared(Catalog catalog, Map<String, Resource> resources, ResourceGraph graph, List<String> order,
                           Map<String, List<String>> batches, List<PreparedCheck> checks) {

        Set<Path> managedPaths() {
            return locations(bound -> true);
        }

        Set<Path> managedDirectories() {
            return locations(PathBound::createsDirectory);
        }

        private Set<Path> locations(Predicate<PathBound> which) {
            Set<Path> paths = new HashSet<>();
            resources.values().forEach(r -> {
                if (r instanceof PathBound bound && which.test(bound)) {
                    paths.add(bound.location());
                }
            });
            return paths;
        }
    }

    /** Plans, checks or applies a catalog and reports how every resource came out. */
    public RunReport run(Catalog catalog, Mode mode) throws InvalidCatalogException {
        return run(prepare(catalog, types), mode);
    }

    /** Plans, checks or applies a validated catalog with no refresh pending from earlier runs. */
    public RunReport run(Prepared prepared, Mode mode) {
        return run(prepared, mode, PendingRefreshes.NONE);
    }

    /**
     * Plans, checks or applies a validated catalog, refreshing what is {@code pending} from earlier runs. The
     * report's engine time counts from here: validation has already happened, on the controller when the compiler
     * produced the catalog.
     */
    public RunReport run(Prepared prepared, Mode mode, PendingRefreshes pending) {
        long start = System.nanoTime();
        String startedAt = clock.instant().toString();
        Catalog catalog = prepared.catalog();
        Context runContext = context.withManagedPaths(prepared.managedPaths(), prepared.managedDirectories());
        List<String> order = prepared.order();
        Map<String, CompletableFuture<ResourceResult>> futures = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, task -> {
            Thread thread = new Thread(task, "plumb-engine");
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (String id : order) {
                List<String> batch = prepared.batches().get(id);
                if (batch == null) {
                    List<String> dependencies = prepared.graph().graph().dependenciesOf(id);
                    futures.put(id, whenAllDone(dependencies, futures).thenApplyAsync(
                            ignored -> execute(id, prepared, runContext, mode, pending, futures), pool));
                    continue;
                }
                // A batch's members get their futures in run order; the batch starts once the dependencies of
                // all of them are done, which is certain only at its last member.
                futures.put(id, new CompletableFuture<>());
                if (id.equals(batch.get(batch.size() - 1))) {
                    List<String> dependencies = batch.stream()
                            .flatMap(member -> prepared.graph().graph().dependenciesOf(member).stream()).distinct().toList();
                    whenAllDone(dependencies, futures)
                            .thenApplyAsync(ignored -> executeBatch(batch, prepared, runContext, mode, futures), pool)
                            .thenAccept(results -> results.forEach(result -> futures.get(result.id()).complete(result)));
                }
            }
            List<ResourceResult> results = order.stream().map(id -> futures.get(id).join()).toList();
            long engineMillis = (System.nanoTime() - start) / 1_000_000;
            return new RunReport(UUID.randomUUID().toString(), catalog.host().name(), mode, catalogSha256(catalog),
                    startedAt, engineMillis, RunReport.Summary.of(results), results, null);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Completes when every dependency has; most resources have none or one, which need no combined future. */
    private static CompletableFuture<?> whenAllDone(List<String> dependencies,
                                                    Map<String, CompletableFuture<ResourceResult>> futures) {
        if (dependencies.size() == 1) {
            return futures.get(dependencies.get(0));
        }
        return CompletableFuture.allOf(dependencies.stream().map(futures::get).toArray(CompletableFuture[]::new));
    }

    /**
     * Stops the run: no resource starts after this, and each comes out skipped with "run interrupted". Resources
     * already running finish (the command runner kills their commands).
     */
    public void interrupt() {
        interrupted = true;
    }

    private ResourceResult execute(String id, Prepared prepared, Context runContext, Mode mode, PendingRefreshes pending,
                                   Map<String, CompletableFuture<ResourceResult>> futures) {
        ResourceResult skipped = skippedForDependencies(id, prepared, futures);
        if (skipped != null) {
            return skipped;
        }
        long start = System.nanoTime();
        Resource resource = prepared.resources().get(id);
        boolean apply = mode.changesHost();
        try {
            Change change = resource.converge(runContext, apply);
            List<String> notifiedBy = notifiedBy(id, prepared, pending, futures);
            if (!notifiedBy.isEmpty() && resource instanceof Refreshable refreshable && !refreshable.refreshedBy(change)) {
                change.include(refreshable.refresh(runContext, apply, notifiedBy));
            }
            return resultOf(id, change, apply, start);
        } catch (ResourceException e) {
            return ResourceResult.failed(id, e.getMessage(), e.partial(), micros(start));
        } catch (IOException e) {
            return ResourceResult.failed(id, FileErrors.describe(e), micros(start));
        } catch (RuntimeException e) {
            return ResourceResult.failed(id, bug(e), micros(start));
        }
    }

    /**
     * What notifies {@code id}, as its refresh names them: the notifiers that changed in this run, then those whose
     * refresh of it is pending from an earlier run.
     */
    private static List<String> notifiedBy(String id, Prepared prepared, PendingRefreshes pending,
                                           Map<String, CompletableFuture<ResourceResult>> futures) {
        List<String> changed = PendingRefreshes.changedNotifiers(prepared, id, notifier -> futures.get(notifier).join().status());
        List<String> names = new ArrayList<>(changed.stream().map(CatalogResource::display).toList());
        pending.of(id).stream().filter(notifier -> !changed.contains(notifier))
                .forEach(notifier -> names.add(CatalogResource.display(notifier) + " in an earlier run"));
        return names;
    }

    /** Converges the members of a batch whose dependencies succeeded as one step; never throws. */
    private List<ResourceResult> executeBatch(List<String> batch, Prepared prepared, Context runContext, Mode mode,
                                              Map<String, CompletableFuture<ResourceResult>> futures) {
        List<ResourceResult> results = new ArrayList<>();
        List<String> ready = new ArrayList<>();
        for (String id : batch) {
            ResourceResult skipped = skippedForDependencies(id, prepared, futures);
            if (skipped != null) {
                results.add(skipped);
            } else {
                ready.add(id);
            }
        }
        if (ready.isEmpty()) {
            return results;
        }
        long start = System.nanoTime();
        boolean apply = mode.changesHost();
        List<Batched> members = ready.stream().map(id -> (Batched) prepared.resources().get(id)).toList();
        try {
            List<Batched.Outcome> outcomes = members.get(0).convergeTogether(runContext, apply, members);
            for (int i = 0; i < ready.size(); i++) {
                Batched.Outcome outcome = outcomes.get(i);
                results.add(outcome.failure() != null ? ResourceResult.failed(ready.get(i), outcome.failure(), micros(start))
                        : resultOf(ready.get(i), outcome.change(), apply, start));
            }
        } catch (RuntimeException e) {
            ready.forEach(id -> results.add(ResourceResult.failed(id, bug(e), micros(start))));
        }
        return results;
    }

    /**
     * A skipped result when the run was interrupted or a dependency of {@code id} failed or was skipped; null when
     * it may run.
     */
    private ResourceResult skippedForDependencies(String id, Prepared prepared,
                                                  Map<String, CompletableFuture<ResourceResult>> futures) {
        if (interrupted) {
            return ResourceResult.skipped(id, "run interrupted");
        }
        for (String dependency : prepared.graph().graph().dependenciesOf(id)) {
            Status status = futures.get(dependency).join().status();
            if (status == Status.FAILED || status == Status.SKIPPED) {
                return ResourceResult.skipped(id, "dependency " + CatalogResource.display(dependency)
                        + (status == Status.FAILED ? " failed" : " was skipped"));
            }
        }
        return null;
    }

    private static ResourceResult resultOf(String id, Change change, boolean apply, long startNanos) {
        Status status = !change.isNeeded() ? Status.IN_SYNC : apply ? Status.CHANGED : Status.WOULD_CHANGE;
        return ResourceResult.of(id, status, change, micros(startNanos));
    }

    private static String bug(RuntimeException e) {
        return "unexpected " + e + " (this is a bug in plumb)";
    }

    private static long micros(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000;
    }

    public static String catalogSha256(Catalog catalog) {
        return Hashing.sha256(Json.MAPPER.writeValueAsBytes(catalog));
    }
}

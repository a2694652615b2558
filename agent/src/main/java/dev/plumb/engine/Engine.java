package dev.plumb.engine;

import dev.plumb.api.Batched;
import dev.plumb.api.Change;
import dev.plumb.api.Context;
import dev.plumb.api.FailureKind;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.InvalidEntryException;
import dev.plumb.api.PathBound;
import dev.plumb.api.PreparedCheck;
import dev.plumb.api.Refreshable;
import dev.plumb.api.Refreshable.Notice;
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
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Runs a catalog on this host: resources in dependency order, independent ones in parallel on a bounded pool.
 * A failure marks what depends on it as skipped while everything independent goes on; a change notifies
 * the resources it names, which refresh once after it, as do those whose refresh is pending from an earlier run.
 * An interrupted run starts no more resources: they come out skipped.
 *
 * <p>An engine lives as long as its host access: its runs share one thread pool, can converge part of a catalog (a
 * drift repair), and those that change the host take turns, in this process and, through its {@link HostLock}, with
 * every other plumb on the host: a run that cannot have the lock changes nothing and reports who holds it. What
 * belongs to one run is kept in a {@link Run}.
 */
public final class Engine implements AutoCloseable {

    /** How long a pool thread waits for the next run before it ends, so that an idle engine holds no threads. */
    private static final Duration IDLE_THREAD_LIFETIME = Duration.ofSeconds(30);

    private final Context context;
    private final TypeRegistry types;
    private final Clock clock;
    private final ThreadPoolExecutor pool;
    private final Lock changingHost = new ReentrantLock(true);
    private final HostLock hostLock;
    /** Guards how many runs and callers ({@link #holdHost}) hold the host lock now, and the lock while any does. */
    private final Object hostHoldsGuard = new Object();
    private int hostHolds;
    private HostLock.Held heldHostLock;
    /** The runs in progress, which {@link #interrupt} stops. */
    private final Set<Run> active = ConcurrentHashMap.newKeySet();

    /**
     * An engine for this host's {@code context} whose runs take turns within this process only: for tests of the
     * engine, which run beside each other and beside real plumb runs.
     */
    public Engine(Context context, TypeRegistry types, int parallelism, Clock clock) {
        this(context, types, parallelism, clock, HostLock.NONE);
    }

    /**
     * An engine for this host's {@code context}, which instantiates resources through {@code types} and converges
     * up to {@code parallelism} of them at a time on one pool that all its runs share; a run that changes the host
     * holds {@code hostLock} while it runs.
     */
    public Engine(Context context, TypeRegistry types, int parallelism, Clock clock, HostLock hostLock) {
        this.context = context;
        this.types = types;
        this.clock = clock;
        this.hostLock = hostLock;
        AtomicInteger threads = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(parallelism, parallelism, IDLE_THREAD_LIFETIME.toSeconds(), TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "plumb-engine-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.pool.allowCoreThreadTimeOut(true);
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
            checkProblems.forEach(p -> problems.add(p.forResource(checkId(spec))));
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

    /** How {@link #prepare}'s problems name {@code check}, as in {@code check http:URL}. */
    public static String checkId(CatalogCheck check) {
        return "check " + check.type() + ":" + check.target();
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
        return run(prepared, mode, pending, RefreshJournal.NONE);
    }

    /**
     * As {@link #run(Prepared, Mode, PendingRefreshes)}; an apply also records in {@code journal} each refresh as
     * soon as it is due, and clears it once it succeeded.
     */
    public RunReport run(Prepared prepared, Mode mode, PendingRefreshes pending, RefreshJournal journal) {
        return new Run(prepared, mode, pending, journal, prepared.order()).report();
    }

    /**
     * Converges part of a validated catalog: the resources {@code ids} and, following {@code notify}, every
     * resource their change may notify, in dependency order; nothing else runs, and the report holds only these.
     * Their requirements outside that part are taken as met, as a drift repair of one file needs (its directory
     * was converged by an earlier run). Throws IllegalArgumentException for an id the catalog does not have: the
     * caller names resources of the catalog it prepared. An apply records its refreshes in {@code journal}, as
     * {@link #run(Prepared, Mode, PendingRefreshes, RefreshJournal)} does.
     */
    public RunReport converge(Prepared prepared, Mode mode, PendingRefreshes pending, RefreshJournal journal,
                              Set<String> ids) {
        Set<String> part = new HashSet<>();
        Deque<String> toVisit = new ArrayDeque<>(ids);
        while (!toVisit.isEmpty()) {
            String id = toVisit.pop();
            if (!prepared.resources().containsKey(id)) {
                throw new IllegalArgumentException("no resource " + CatalogResource.display(id) + " in the catalog");
            }
            if (part.add(id)) {
                toVisit.addAll(prepared.graph().notifies(id));
            }
        }
        return new Run(prepared, mode, pending, journal, prepared.order().stream().filter(part::contains).toList()).report();
    }

    /**
     * Takes the host lock until {@link #releaseHost}, for a caller that must read or write the host's state under it
     * before or after its runs (the agent's pending refreshes); runs meanwhile hold it through this caller rather than
     * take it again. Holds nest; the lock is released when the last hold is.
     */
    public void holdHost() throws HostLockException {
        synchronized (hostHoldsGuard) {
            // Only the first hold takes the lock, waiting for another process's run to end. Other holds wait for it
            // here, which holds up no release: until the lock is taken there is nothing to release.
            if (hostHolds == 0) {
                heldHostLock = hostLock.acquire();
            }
            hostHolds++;
        }
    }

    /** Ends one hold of {@link #holdHost} or of a run; the last releases the host lock. */
    public void releaseHost() {
        synchronized (hostHoldsGuard) {
            if (--hostHolds == 0) {
                heldHostLock.close();
                heldHostLock = null;
            }
        }
    }

    /**
     * Stops the runs in progress: no resource of theirs starts after this, and each comes out skipped with "run
     * interrupted". Resources already running finish (the command runner kills their commands). Later runs run.
     */
    public void interrupt() {
        active.forEach(Run::interrupt);
    }

    /** Ends the pool's threads; a run after this is refused. Idle threads end by themselves too, after a while. */
    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** The refreshes of one run: those pending from earlier runs, and where new ones are recorded as they arise. */
    private record Refreshes(PendingRefreshes pending, RefreshJournal journal, Map<String, List<String>> notifiedByEach) {

        Refreshes(Prepared prepared, PendingRefreshes pending, RefreshJournal journal) {
            this(pending, journal, new HashMap<>());
            for (String id : prepared.order()) {
                prepared.graph().notifiersOf(id).forEach(
                        notifier -> notifiedByEach.computeIfAbsent(notifier, k -> new ArrayList<>()).add(id));
            }
        }

        /**
         * Records the refreshes a resource that came out changed makes due, before any of them can start (they
         * depend on it); returns its result.
         */
        ResourceResult recordDue(ResourceResult result) {
            if (result.status() == Status.CHANGED) {
                notifiedByEach.getOrDefault(result.id(), List.of()).forEach(notified -> journal.due(notified, result.id()));
            }
            return result;
        }
    }

    /**
     * One run's data, kept apart from the engine's host access: the catalog, the mode, the resources this run
     * converges and how each came out. Resources outside the run have no result, and count as done and unchanged.
     */
    private final class Run {

        private final Prepared prepared;
        private final Mode mode;
        private final Refreshes refreshes;
        private final List<String> order;
        /** The resources of the run when it converges part of the catalog; null when it converges all of it. */
        private final Set<String> part;
        private final Context runContext;
        private final Map<String, CompletableFuture<ResourceResult>> futures = new ConcurrentHashMap<>();
        private volatile boolean interrupted;

        Run(Prepared prepared, Mode mode, PendingRefreshes pending, RefreshJournal journal, List<String> order) {
            this.prepared = prepared;
            this.mode = mode;
            this.refreshes = new Refreshes(prepared, pending, mode.changesHost() ? journal : RefreshJournal.NONE);
            this.order = order;
            this.part = order.size() == prepared.order().size() ? null : Set.copyOf(order);
            this.runContext = context.withManagedPaths(prepared.managedPaths(), prepared.managedDirectories());
        }

        void interrupt() {
            interrupted = true;
        }

        RunReport report() {
            String startedAt = clock.instant().toString();
            // Two runs that change the host take turns, in this engine and across the host; plans and checks read.
            if (mode.changesHost()) {
                changingHost.lock();
                try {
                    holdHost();
                } catch (HostLockException e) {
                    changingHost.unlock();
                    return RunReport.unreachable(RunReport.newRunId(), prepared.catalog().host().name(), mode,
                            startedAt, e.getMessage());
                }
            }
            active.add(this);
            try {
                long start = System.nanoTime();
                schedule();
                List<ResourceResult> results = order.stream().map(id -> futures.get(id).join()).toList();
                long engineMillis = (System.nanoTime() - start) / 1_000_000;
                Catalog catalog = prepared.catalog();
                return new RunReport(RunReport.newRunId(), catalog.host().name(), mode, catalogSha256(catalog),
                        catalog.source(), startedAt, engineMillis, RunReport.Summary.of(results), results, null);
            } finally {
                active.remove(this);
                if (mode.changesHost()) {
                    releaseHost();
                    changingHost.unlock();
                }
            }
        }

        /** Gives every resource of the run a future that starts it on the pool once its dependencies are done. */
        private void schedule() {
            for (String id : order) {
                List<String> batch = batchOf(id);
                if (batch == null) {
                    futures.put(id, whenAllDone(dependenciesOf(id))
                            .thenApplyAsync(ignored -> execute(id), pool));
                    continue;
                }
                // A batch's members get their futures in run order; the batch starts once the dependencies of
                // all of them are done, which is certain only at its last member.
                futures.put(id, new CompletableFuture<>());
                if (id.equals(batch.get(batch.size() - 1))) {
                    List<String> dependencies = batch.stream()
                            .flatMap(member -> dependenciesOf(member).stream()).distinct().toList();
                    whenAllDone(dependencies)
                            .thenApplyAsync(ignored -> executeBatch(batch), pool)
                            .thenAccept(results -> results.forEach(result -> futures.get(result.id()).complete(result)));
                }
            }
        }

        /** The members of {@code id}'s batch that are in this run, or null when it converges on its own. */
        private List<String> batchOf(String id) {
            List<String> batch = prepared.batches().get(id);
            return batch == null ? null : batch.stream().filter(this::inRun).toList();
        }

        private boolean inRun(String id) {
            return part == null || part.contains(id);
        }

        /** The dependencies of {@code id} that this run converges; the others are done already. */
        private List<String> dependenciesOf(String id) {
            List<String> all = prepared.graph().graph().dependenciesOf(id);
            return part == null ? all : all.stream().filter(this::inRun).toList();
        }

        /** How {@code id} came out, waiting for it; in sync when this run does not converge it. */
        private Status statusOf(String id) {
            CompletableFuture<ResourceResult> future = futures.get(id);
            return future == null ? Status.IN_SYNC : future.join().status();
        }

        /** Completes when every dependency has; most resources have none or one, which need no combined future. */
        private CompletableFuture<?> whenAllDone(List<String> dependencies) {
            if (dependencies.size() == 1) {
                return futures.get(dependencies.get(0));
            }
            return CompletableFuture.allOf(dependencies.stream().map(futures::get).toArray(CompletableFuture[]::new));
        }

        private ResourceResult execute(String id) {
            ResourceResult skipped = skippedForDependencies(id);
            if (skipped != null) {
                return skipped;
            }
            long start = System.nanoTime();
            Resource resource = prepared.resources().get(id);
            boolean apply = mode.changesHost();
            try {
                Change change = resource.converge(runContext, apply);
                List<Notice> notifiedBy = notifiedBy(id);
                if (!notifiedBy.isEmpty() && resource instanceof Refreshable refreshable && !refreshable.refreshedBy(change)) {
                    change.include(refreshable.refresh(runContext, apply, notifiedBy));
                }
                if (!notifiedBy.isEmpty()) {
                    refreshes.journal().done(id);
                }
                return refreshes.recordDue(resultOf(id, change, apply, start));
            } catch (ResourceException e) {
                return ResourceResult.failed(id, e.kind(), e.getMessage(), e.partial(), micros(start));
            } catch (IOException e) {
                return ResourceResult.failed(id, FailureKind.IO, FileErrors.describe(e), micros(start));
            } catch (RuntimeException e) {
                return ResourceResult.failed(id, FailureKind.BUG, bug(e), micros(start));
            }
        }

        /**
         * The notifications {@code id} received: from the notifiers that changed in this run, then from those whose
         * refresh of it is pending from an earlier run, each with the action it asks of {@code id} now.
         */
        private List<Notice> notifiedBy(String id) {
            List<String> changed = PendingRefreshes.changedNotifiers(prepared, id, this::statusOf);
            List<Notice> notices = new ArrayList<>(changed.stream().map(notifier -> notice(notifier, id, "")).toList());
            refreshes.pending().of(id).stream().filter(notifier -> !changed.contains(notifier))
                    .forEach(notifier -> notices.add(notice(notifier, id, " in an earlier run")));
            return notices;
        }

        private Notice notice(String notifier, String id, String when) {
            return new Notice(CatalogResource.display(notifier) + when, prepared.graph().actionAsked(notifier, id));
        }

        /** Converges the members of a batch whose dependencies succeeded as one step; never throws. */
        private List<ResourceResult> executeBatch(List<String> batch) {
            List<ResourceResult> results = new ArrayList<>();
            List<String> ready = new ArrayList<>();
            for (String id : batch) {
                ResourceResult skipped = skippedForDependencies(id);
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
                    results.add(outcome.failure() != null
                            ? ResourceResult.failed(ready.get(i), outcome.kind(), outcome.failure(), micros(start))
                            : refreshes.recordDue(resultOf(ready.get(i), outcome.change(), apply, start)));
                }
            } catch (RuntimeException e) {
                ready.forEach(id -> results.add(ResourceResult.failed(id, FailureKind.BUG, bug(e), micros(start))));
            }
            return results;
        }

        /**
         * A skipped result when the run was interrupted or a dependency of {@code id} failed or was skipped; null
         * when it may run.
         */
        private ResourceResult skippedForDependencies(String id) {
            if (interrupted) {
                return ResourceResult.skipped(id, FailureKind.INTERRUPTED, "run interrupted");
            }
            for (String dependency : dependenciesOf(id)) {
                Status status = statusOf(dependency);
                if (status == Status.FAILED || status == Status.SKIPPED) {
                    return ResourceResult.skipped(id, FailureKind.DEPENDENCY_FAILED, "dependency "
                            + CatalogResource.display(dependency) + (status == Status.FAILED ? " failed" : " was skipped"));
                }
            }
            return null;
        }
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

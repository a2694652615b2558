package dev.plumb.engine;

import dev.plumb.catalog.ResourceResult;
import dev.plumb.catalog.Status;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The refreshes of one host that were due but did not succeed (the refresh failed, or was skipped because a
 * dependency failed or the run was interrupted): by resource id, the ids of the resources that notified it. A later
 * apply refreshes them even when nothing changes, until the refresh succeeds.
 */
public record PendingRefreshes(Map<String, List<String>> byResource) {

    public static final PendingRefreshes NONE = new PendingRefreshes(Map.of());

    public PendingRefreshes {
        Map<String, List<String>> copy = new TreeMap<>();
        byResource.forEach((id, notifiers) -> copy.put(id, List.copyOf(notifiers)));
        byResource = Map.copyOf(copy);
    }

    /** The notifiers of {@code id} whose refresh is pending from an earlier run; empty when none. */
    public List<String> of(String id) {
        return byResource.getOrDefault(id, List.of());
    }

    /**
     * What is pending after an apply of {@code prepared} that came out as {@code results}: every resource notified
     * in this run or pending before that did not come out changed or in sync, and what was pending before for a
     * resource of the catalog the run did not converge (a partial converge). Pending refreshes of resources no
     * longer in the catalog are dropped.
     */
    public PendingRefreshes after(Engine.Prepared prepared, List<ResourceResult> results) {
        Map<String, Status> statuses = new TreeMap<>();
        results.forEach(result -> statuses.put(result.id(), result.status()));
        Map<String, List<String>> pending = new TreeMap<>();
        byResource.forEach((id, notifiers) -> {
            if (!statuses.containsKey(id) && prepared.resources().containsKey(id)) {
                pending.put(id, notifiers);
            }
        });
        for (ResourceResult result : results) {
            if (result.status() != Status.FAILED && result.status() != Status.SKIPPED) {
                continue;
            }
            Set<String> notifiers = new LinkedHashSet<>(of(result.id()));
            notifiers.addAll(changedNotifiers(prepared, result.id(), statuses::get));
            if (!notifiers.isEmpty()) {
                pending.put(result.id(), new ArrayList<>(notifiers));
            }
        }
        return new PendingRefreshes(pending);
    }

    /** The notifiers of {@code id} that changed (or would) in this run, in catalog order. */
    static List<String> changedNotifiers(Engine.Prepared prepared, String id, Function<String, Status> statusOf) {
        return prepared.graph().notifiersOf(id).stream().filter(notifier -> {
            Status status = statusOf.apply(notifier);
            return status == Status.CHANGED || status == Status.WOULD_CHANGE;
        }).toList();
    }
}

package dev.plumb.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.plumb.api.Action;
import dev.plumb.api.Backup;
import dev.plumb.api.Change;
import dev.plumb.api.FailureKind;
import java.util.List;

/**
 * How one resource came out of a run: the report's unit. {@code changes} holds one typed entry per difference;
 * {@code failure} says what kind of failure {@code error} describes, for a failed or skipped resource.
 */
public record ResourceResult(String id, Status status, Action action, List<Change.Entry> changes, String diff,
                             List<Backup> backups, String error, FailureKind failure, long micros) {

    public ResourceResult {
        changes = List.copyOf(changes);
        backups = List.copyOf(backups);
    }

    public static ResourceResult of(String id, Status status, Change change, long micros) {
        return new ResourceResult(id, status, change.action(), change.entries(), change.diff(), change.backups(),
                null, null, micros);
    }

    public static ResourceResult failed(String id, FailureKind kind, String error, long micros) {
        return failed(id, kind, error, null, micros);
    }

    /** A failure after part of the change was made: what was done and its backups stay in the report. */
    public static ResourceResult failed(String id, FailureKind kind, String error, Change partial, long micros) {
        return partial == null
                ? new ResourceResult(id, Status.FAILED, Action.NONE, List.of(), null, List.of(), error, kind, micros)
                : new ResourceResult(id, Status.FAILED, partial.action(), partial.entries(), partial.diff(),
                        partial.backups(), error, kind, micros);
    }

    public static ResourceResult skipped(String id, FailureKind kind, String reason) {
        return new ResourceResult(id, Status.SKIPPED, Action.NONE, List.of(), null, List.of(), reason, kind, 0);
    }

    /** The changes as people read them, one line each. */
    @JsonIgnore
    public List<String> details() {
        return changes.stream().map(Change.Entry::text).toList();
    }
}

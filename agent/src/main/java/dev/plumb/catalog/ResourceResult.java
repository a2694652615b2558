package dev.plumb.catalog;

import dev.plumb.api.Action;
import dev.plumb.api.Backup;
import dev.plumb.api.Change;
import java.util.List;

/** How one resource came out of a run: the report's unit. */
public record ResourceResult(String id, Status status, Action action, List<String> details, String diff,
                             List<Backup> backups, String error, long micros) {

    public ResourceResult {
        details = List.copyOf(details);
        backups = List.copyOf(backups);
    }

    public static ResourceResult of(String id, Status status, Change change, long micros) {
        return new ResourceResult(id, status, change.action(), change.details(), change.diff(), change.backups(),
                null, micros);
    }

    public static ResourceResult failed(String id, String error, long micros) {
        return new ResourceResult(id, Status.FAILED, Action.NONE, List.of(), null, List.of(), error, micros);
    }

    /** A failure after part of the change was made: what was done and its backups stay in the report. */
    public static ResourceResult failed(String id, String error, Change partial, long micros) {
        return partial == null ? failed(id, error, micros) : new ResourceResult(id, Status.FAILED, partial.action(),
                partial.details(), partial.diff(), partial.backups(), error, micros);
    }

    public static ResourceResult skipped(String id, String reason) {
        return new ResourceResult(id, Status.SKIPPED, Action.NONE, List.of(), null, List.of(), reason, 0);
    }
}

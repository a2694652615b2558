package dev.plumb.api;

import java.util.ArrayList;
import java.util.List;

/**
 * The difference between a resource's current and desired state, as a resource describes it: the action,
 * one line per attribute change, a content diff, and the backups taken when it was applied.
 */
public final class Change {

    private Action action = Action.NONE;
    private final List<String> details = new ArrayList<>();
    private final List<Backup> backups = new ArrayList<>();
    private String diff;

    /** Records one difference; a create or remove outranks a change. */
    public Change add(Action action, String detail) {
        if (this.action == Action.NONE || action == Action.CREATE || action == Action.REMOVE) {
            this.action = action;
        }
        details.add(detail);
        return this;
    }

    /** Adds the details of {@code other}, a refresh that follows this change in the same run; a refresh has no diff. */
    public Change include(Change other) {
        other.details.forEach(detail -> add(other.action, detail));
        return this;
    }

    public Change diff(String diff) {
        this.diff = diff;
        return this;
    }

    public Change backup(Backup backup) {
        backups.add(backup);
        return this;
    }

    public boolean isNeeded() {
        return action != Action.NONE;
    }

    public Action action() {
        return action;
    }

    public List<String> details() {
        return List.copyOf(details);
    }

    public String diff() {
        return diff;
    }

    public List<Backup> backups() {
        return List.copyOf(backups);
    }
}

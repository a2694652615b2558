package dev.plumb.api;

import java.util.ArrayList;
import java.util.List;

/**
 * The difference between a resource's current and desired state, as a resource describes it: the action, one
 * typed entry per difference, a content diff, and the backups taken when it was applied.
 */
public final class Change {

    /** How a secret's value shows in an entry: a sensitive file's content, a password hash. */
    public static final String SENSITIVE = "(sensitive)";

    private Action action = Action.NONE;
    private final List<Entry> entries = new ArrayList<>();
    private final List<Backup> backups = new ArrayList<>();
    private String diff;

    /**
     * One difference: the attribute it is about, its value before and after (null where it has none, as before
     * a create), and for what is more than an attribute taking a new value (a create, a removal, a command run) the
     * phrase people read, as {@code create file, mode 0644}. Without a phrase it reads
     * {@code mode changed '0666' to '0640'}.
     */
    public record Entry(Action action, String attribute, Object before, Object after, String summary) {

        public Entry {
            if (attribute == null || attribute.isEmpty()) {
                throw new IllegalStateException("a change entry names its attribute (this is a bug in plumb)");
            }
            if (summary == null && action != Action.CHANGE) {
                throw new IllegalStateException("only an attribute change reads without a phrase (this is a bug in plumb)");
            }
        }

        /** How people read it: its phrase, or {@code mode changed '0666' to '0640'}. */
        public String text() {
            return summary != null ? summary : attribute + " changed '" + before + "' to '" + after + "'";
        }
    }

    /** Records that {@code attribute} goes from {@code before} to {@code after}. */
    public Change changed(String attribute, Object before, Object after) {
        return add(new Entry(Action.CHANGE, attribute, before, after, null));
    }

    /** Records a difference that reads as {@code summary}; a create or remove outranks a change. */
    public Change add(Action action, String attribute, Object before, Object after, String summary) {
        return add(new Entry(action, attribute, before, after, summary));
    }

    /** Records {@code entry}; a create or remove outranks a change. */
    public Change add(Entry entry) {
        if (this.action == Action.NONE || entry.action() == Action.CREATE || entry.action() == Action.REMOVE) {
            this.action = entry.action();
        }
        entries.add(entry);
        return this;
    }

    /** Adds the entries of {@code other}, a refresh that follows this change in the same run; a refresh has no diff. */
    public Change include(Change other) {
        other.entries.forEach(this::add);
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

    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** The entries as people read them, one line each. */
    public List<String> details() {
        return entries.stream().map(Entry::text).toList();
    }

    /** Whether this change takes {@code attribute} to {@code after}. */
    public boolean sets(String attribute, Object after) {
        return entries.stream().anyMatch(entry -> entry.attribute().equals(attribute) && after.equals(entry.after()));
    }

    public String diff() {
        return diff;
    }

    public List<Backup> backups() {
        return List.copyOf(backups);
    }
}

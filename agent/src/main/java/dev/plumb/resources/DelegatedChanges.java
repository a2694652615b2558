package dev.plumb.resources;

import dev.plumb.api.Change;

/**
 * Folds the change of a file or symlink resource that a type writes its files through (a unit file, a sysctl's file in
 * /etc/sysctl.d) into the type's own change: its entries, its diff and its backups.
 */
final class DelegatedChanges {

    private DelegatedChanges() {
    }

    /**
     * Adds {@code part} to {@code change}; with a {@code path}, each entry's phrase names it, as
     * {@code /etc/timezone: content changed}, where the type's own name does not say which file changed.
     */
    static Change include(Change change, String path, Change part) {
        part.entries().forEach(entry -> change.add(entry.action(), entry.attribute(), entry.before(), entry.after(),
                path == null ? entry.summary() : path + ": " + entry.text()));
        return includeEvidence(change, part);
    }

    /** Adds {@code part}'s diff and backups to {@code change}, whose own entries already say what changed. */
    static Change includeEvidence(Change change, Change part) {
        part.backups().forEach(change::backup);
        if (part.diff() != null) {
            change.diff(change.diff() == null ? part.diff() : change.diff() + "\n" + part.diff());
        }
        return change;
    }
}

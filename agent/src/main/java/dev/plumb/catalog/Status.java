package dev.plumb.catalog;

/** How a resource came out of a run. */
public enum Status {
    /** Already as described; nothing to do. */
    IN_SYNC,
    /** Changed by this apply. */
    CHANGED,
    /** Would be changed: found by a plan, or reported as drift by a check. */
    WOULD_CHANGE,
    /** Reading or changing it failed. */
    FAILED,
    /** Not attempted because something it depends on failed or was skipped. */
    SKIPPED
}

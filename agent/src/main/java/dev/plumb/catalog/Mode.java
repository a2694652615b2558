package dev.plumb.catalog;

/** What a run does: plan and check only read; apply converges. */
public enum Mode {
    PLAN,
    APPLY,
    CHECK;

    public boolean changesHost() {
        return this == APPLY;
    }
}

package dev.plumb.engine;

/**
 * Where an apply keeps its pending refreshes as they arise, so that a run killed half-way (SIGKILL, power loss)
 * loses no notification: a refresh is recorded as due before it runs, and forgotten once it succeeded. Called from
 * the engine's threads at once.
 */
public interface RefreshJournal {

    /** Keeps nothing: for plans, checks and tests that look at {@link PendingRefreshes#after} only. */
    RefreshJournal NONE = new RefreshJournal() {
        @Override
        public void due(String id, String notifier) {
        }

        @Override
        public void done(String id) {
        }
    };

    /** {@code notifier} changed, so {@code id} is due a refresh; recorded before that refresh starts. */
    void due(String id, String notifier);

    /** {@code id} was refreshed successfully: nothing of it is pending any more. */
    void done(String id);
}

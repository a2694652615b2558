package dev.plumb.engine;

/**
 * The lock that keeps runs which change a host from interleaving across processes. The host's agent supplies it (a
 * lock file in its state directory); the engine holds it for each apply, so that a long-lived engine and a
 * one-off {@code plumb apply} on the same host take turns.
 */
public interface HostLock {

    /** No lock of the engine's own: its caller holds the host's lock around all its runs, or it is a test. */
    HostLock NONE = () -> () -> { };

    /** Waits for the lock as its supplier decides and holds it until the hold is closed; throws when refused. */
    Hold hold() throws Refused;

    /** The lock, held until closed. */
    interface Hold extends AutoCloseable {
        @Override
        void close();
    }

    /** Another run holds the lock; the message names it and says what to do, for the user. */
    final class Refused extends Exception {

        public Refused(String message) {
            super(message);
        }
    }
}

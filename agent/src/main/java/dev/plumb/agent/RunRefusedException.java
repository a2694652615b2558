package dev.plumb.agent;

/**
 * A run that cannot start, before anything on the host changed: the state directory is unusable, or another run
 * holds the lock. The message says why and what to do, for the user.
 */
public final class RunRefusedException extends Exception {

    public RunRefusedException(String message) {
        super(message);
    }
}

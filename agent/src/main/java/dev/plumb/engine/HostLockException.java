package dev.plumb.engine;

/**
 * The host's run lock could not be taken, as "another plumb run (pid 4242) holds the lock since ...": the run
 * changed nothing.
 */
public final class HostLockException extends Exception {

    public HostLockException(String message) {
        super(message);
    }
}

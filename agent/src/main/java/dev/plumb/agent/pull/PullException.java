package dev.plumb.agent.pull;

/** A step of enrolling, pulling or installing that cannot go on; the message says why and what to do, for the user. */
public final class PullException extends Exception {

    public PullException(String message) {
        super(message);
    }
}

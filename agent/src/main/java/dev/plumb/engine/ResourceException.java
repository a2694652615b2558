package dev.plumb.engine;

/** A resource cannot be read or converged, for a reason the message states for the operator. */
public class ResourceException extends Exception {

    public ResourceException(String message) {
        super(message);
    }
}

package dev.plumb.api;

/** A resource cannot be read or converged, for a reason the message states for the operator. */
public class ResourceException extends Exception {

    /** What the resource did before it failed, backups included; null when it changed nothing. */
    private final transient Change partial;

    public ResourceException(String message) {
        this(message, null);
    }

    public ResourceException(String message, Change partial) {
        super(message);
        this.partial = partial;
    }

    public Change partial() {
        return partial;
    }
}

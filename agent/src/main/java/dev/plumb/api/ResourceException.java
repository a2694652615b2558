package dev.plumb.api;

/** A resource cannot be read or converged, for a reason the message states for the operator. */
public class ResourceException extends Exception {

    private final FailureKind kind;

    /** What the resource did before it failed, backups included; null when it changed nothing. */
    private final transient Change partial;

    public ResourceException(String message) {
        this(FailureKind.FAILED, message, null);
    }

    public ResourceException(String message, Change partial) {
        this(FailureKind.FAILED, message, partial);
    }

    public ResourceException(FailureKind kind, String message) {
        this(kind, message, null);
    }

    public ResourceException(FailureKind kind, String message, Change partial) {
        super(message);
        this.kind = kind;
        this.partial = partial;
    }

    public FailureKind kind() {
        return kind;
    }

    public Change partial() {
        return partial;
    }
}

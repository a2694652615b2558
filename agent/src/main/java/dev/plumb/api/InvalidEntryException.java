package dev.plumb.api;

/**
 * A catalog entry that cannot become a resource or check: an unknown type or attribute, or a value of the wrong
 * kind. A user error (a hand-written or stale catalog), never a bug, so it has its own type.
 */
public class InvalidEntryException extends RuntimeException {

    public InvalidEntryException(String message) {
        super(message);
    }
}

package dev.plumb.server.store;

/** The store cannot be opened or used: the database is unreachable, refuses the login, or its schema is newer. */
public final class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}

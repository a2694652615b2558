package dev.plumb.server;

/** The server cannot start as configured (a certificate that does not read, a port in use, a database refused). */
public final class ServerStartException extends Exception {

    public ServerStartException(String message) {
        super(message);
    }

    public ServerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}

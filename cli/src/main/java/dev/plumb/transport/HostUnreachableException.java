package dev.plumb.transport;

/** The host cannot be reached; the message says why, as in "not reachable: ... (address 192.0.2.10)". */
public final class HostUnreachableException extends Exception {

    public HostUnreachableException(String message) {
        super(message);
    }
}

package dev.plumb.transport;

/**
 * The host cannot be reached or cannot run the agent; the message says why in one line, as in
 * "not reachable: connection refused (root@192.0.2.10)" or "no Java 17 or newer on web3 (...)".
 */
public final class HostUnreachableException extends Exception {

    public HostUnreachableException(String message) {
        super(message);
    }
}

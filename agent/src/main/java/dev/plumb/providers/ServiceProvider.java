package dev.plumb.providers;

import dev.plumb.api.ResourceException;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * How services are read and changed under one init system: whether a service runs and starts at boot, and
 * the commands that start, stop, restart, reload, enable and disable it. A failure carries the evidence the
 * init system keeps (the journal, the init script's own output).
 */
public interface ServiceProvider {

    /** The name a resource's {@code provider:} attribute uses. */
    String name();

    /** Whether this provider can work on a host with these facts. */
    boolean suitable(Map<String, Object> facts);

    /** Whether this provider is the one to use on a host with these facts when no resource names one. */
    boolean defaultFor(Map<String, Object> facts);

    /** The state of a service; empty when the init system knows no such service. */
    Optional<State> query(String service) throws IOException, ResourceException;

    /** Why a service the query did not find cannot be managed, with the likely fix. */
    String missing(String service);

    /** Starts, stops, restarts or reloads a service now. */
    void control(String service, Control control) throws IOException, ResourceException;

    /** Makes a service start at boot, or not. */
    void enable(String service, boolean enabled) throws IOException, ResourceException;

    /** What a provider can do to a running service; {@code word} is the verb its command line uses. */
    enum Control {
        START("start"),
        STOP("stop"),
        RESTART("restart"),
        RELOAD("reload");

        private final String word;

        Control(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    /**
     * A service as the init system sees it now.
     *
     * @param running      whether it runs
     * @param enabled      whether it starts at boot; null when the init system does not let it be switched
     * @param notSwitchable when {@code enabled} is null, why, for the operator
     */
    record State(boolean running, Boolean enabled, String notSwitchable) {

        public static State of(boolean running, boolean enabled) {
            return new State(running, enabled, null);
        }
    }
}

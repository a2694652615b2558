package dev.plumb.api;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What checks may use of the host: the command runner (every command goes through it), the host services such as
 * the providers the resources use, the clock, and what the checks of a run share (readings of the socket tables, a
 * TLS context), made once per context by the first check that asks.
 */
public final class CheckContext {

    private final CommandRunner commands;
    private final Services services;
    private final Clock clock;
    private final Map<Class<?>, Object> shared = new ConcurrentHashMap<>();

    public CheckContext(CommandRunner commands, Services services, Clock clock) {
        this.commands = commands;
        this.services = services;
        this.clock = clock;
    }

    public CommandRunner commands() {
        return commands;
    }

    /** The host service of {@code type}, such as the providers. */
    public <T> T service(Class<T> type) {
        return services.get(type);
    }

    public Clock clock() {
        return clock;
    }

    /** The one {@code type} the checks of this context share, made by {@code create} when first asked for. */
    public <T> T shared(Class<T> type, Supplier<T> create) {
        return type.cast(shared.computeIfAbsent(type, ignored -> create.get()));
    }
}

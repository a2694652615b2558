package dev.plumb.api;

import java.util.List;

/**
 * The host services a composition root hands to resources and checks, such as the providers chosen for this host,
 * looked up by type so that the engine and this package never name them.
 */
public final class Services {

    private final List<Object> services;

    private Services(List<Object> services) {
        this.services = services;
    }

    public static Services of(Object... services) {
        return new Services(List.of(services));
    }

    /** The service of {@code type}; a missing one is a wiring mistake of the composition root, not a user error. */
    public <T> T get(Class<T> type) {
        return services.stream().filter(type::isInstance).map(type::cast).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + type.getSimpleName()
                        + " was given to this run; this is a bug in plumb"));
    }
}

package dev.plumb.report;

import dev.plumb.catalog.Mode;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How a run's reports are printed, for the plumb command and the agent alike. Named in lower case, as
 * {@code --format} spells them.
 */
public enum Format {
    /** For people: a line per change, failure and check, and a summary per host. */
    text,
    /** The run report protocol of {@code docs/protocol.md}: a JSON array with one report per host. */
    json,
    /** JUnit XML: the host's resources and each check as tests, for CI. */
    junit,
    /** The Test Anything Protocol, version 13, with the same tests as JUnit. */
    tap,
    /** A Nagios plugin's status line and exit code. */
    nagios;

    /**
     * The formats a run in {@code mode} prints: junit and tap report checks, which a plan does not run; nagios
     * answers whether a host is as described, which is what check asks.
     */
    public static List<Format> acceptedBy(Mode mode) {
        return switch (mode) {
            case PLAN -> List.of(text, json);
            case APPLY -> List.of(text, json, junit, tap);
            case CHECK -> List.of(values());
        };
    }

    /** The format spelled {@code name}, if there is one. */
    public static Optional<Format> named(String name) {
        return Arrays.stream(values()).filter(format -> format.name().equals(name)).findFirst();
    }

    /** Why a run in {@code mode} cannot print this format, as {@code --format junit is not available for plan; ...}. */
    public String unavailableFor(Mode mode) {
        return "--format " + this + " is not available for " + mode.name().toLowerCase(Locale.ROOT) + "; use one of "
                + String.join(", ", acceptedBy(mode).stream().map(Format::name).toList());
    }
}

package dev.plumb.facts;

import java.util.List;
import java.util.Map;

/**
 * What a project asks of a host's facts beyond those every host reports: its {@code commands} (plumb.yaml's
 * {@code facts:}), and whether to read the installed {@code packages}, which costs about 20 ms and is asked for only
 * by a project that uses them. A controller sends it to the agent before the agent prints the facts.
 */
public record FactRequest(List<CommandFact> commands, boolean packages) {

    /** Only the facts every host reports, with those of {@code /etc/plumb/facts.d}. */
    public static final FactRequest NONE = new FactRequest(List.of(), false);
    /** Every fact plumb knows of the host itself: what {@code plumb facts} shows. */
    public static final FactRequest ALL_BUILT_IN = new FactRequest(List.of(), true);

    public FactRequest {
        commands = commands == null ? List.of() : List.copyOf(commands);
    }

    /**
     * Whether {@code facts} were gathered with at least what this request asks and hold each of its command facts
     * (none failed there), and the installed packages when asked, where the host has any: facts a compile can be
     * judged by.
     */
    public boolean answeredBy(Map<String, Object> facts) {
        Map<?, ?> failed = facts.get("fact_errors") instanceof Map<?, ?> errors ? errors : Map.of();
        return commands.stream().allMatch(fact -> facts.containsKey(fact.name()) && !failed.containsKey(fact.name()))
                && (!packages || facts.containsKey("packages"));
    }
}

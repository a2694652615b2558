package dev.plumb.providers;

import dev.plumb.api.Command;
import dev.plumb.api.CommandResult;
import dev.plumb.api.CommandRunner;
import dev.plumb.api.ResourceException;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Services under systemd: state from one {@code systemctl show}, changes through {@code systemctl}, and the
 * unit's last journal lines as the evidence of a failure. Suits a host where systemd is PID 1.
 */
public final class SystemdProvider implements ServiceProvider {

    static final String PROPERTIES = "--property=ActiveState,UnitFileState,LoadState";
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(30);
    /** systemctl waits for the job; systemd gives up on a start after 90 s by default, so this is a backstop. */
    private static final Duration CONTROL_TIMEOUT = Duration.ofMinutes(5);
    private static final int JOURNAL_LINES = 20;
    private static final Pattern UNIT_TYPE =
            Pattern.compile("\\.(service|socket|timer|path|target|mount|automount|swap|slice|scope|device)$");
    static final Set<String> RUNNING = Set.of("active", "reloading", "refreshing");
    private static final Set<String> ENABLED = Set.of("enabled", "enabled-runtime", "alias");
    private static final Set<String> DISABLED = Set.of("disabled", "linked", "linked-runtime", "masked", "masked-runtime");

    private final CommandRunner commands;

    public SystemdProvider(CommandRunner commands) {
        this.commands = commands;
    }

    @Override
    public String name() {
        return "systemd";
    }

    /** systemctl can only talk to a running manager. */
    @Override
    public boolean suitable(Map<String, Object> facts) {
        return "systemd".equals(facts.get("init_system"));
    }

    @Override
    public boolean defaultFor(Map<String, Object> facts) {
        return suitable(facts);
    }

    @Override
    public Optional<State> query(String service) throws IOException, ResourceException {
        CommandResult result = run(List.of("systemctl", "show", PROPERTIES, service), QUERY_TIMEOUT);
        if (!result.succeeded()) {
            throw new ResourceException("systemctl show failed with exit code " + result.exitCode() + ":\n" + result.evidence());
        }
        Map<String, String> properties = parseShow(result.stdout());
        String load = properties.getOrDefault("LoadState", "");
        if (load.equals("not-found")) {
            return Optional.empty();
        }
        if (!load.equals("loaded") && !load.equals("masked")) {
            throw new ResourceException("systemd cannot load " + unit(service) + " (LoadState=" + load + "); "
                    + "'systemd-analyze verify " + unit(service) + "' names what is wrong" + journal(service));
        }
        boolean running = RUNNING.contains(properties.getOrDefault("ActiveState", ""));
        String fileState = properties.getOrDefault("UnitFileState", "");
        if (ENABLED.contains(fileState) || DISABLED.contains(fileState)) {
            return Optional.of(State.of(running, ENABLED.contains(fileState)));
        }
        if (fileState.equals("generated")) {
            // A unit generated from an init script: only systemctl is-enabled asks the scripts' rc.d links.
            return Optional.of(State.of(running, run(List.of("systemctl", "is-enabled", service), QUERY_TIMEOUT).succeeded()));
        }
        return Optional.of(new State(running, null, notSwitchable(fileState)));
    }

    /** {@code key=value} lines, as {@code systemctl show} prints them. */
    static Map<String, String> parseShow(String output) {
        Map<String, String> properties = new HashMap<>();
        for (String line : output.split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                properties.put(line.substring(0, equals), line.substring(equals + 1).strip());
            }
        }
        return properties;
    }

    private static String notSwitchable(String fileState) {
        return switch (fileState) {
            case "static" -> "its unit file has no [Install] section (UnitFileState=static): it starts when another unit needs it";
            case "indirect" -> "it is enabled only through the units its Also= setting names (UnitFileState=indirect)";
            case "transient" -> "it was created at run time and has no unit file (UnitFileState=transient)";
            default -> "systemd reports no unit file state it can switch (UnitFileState=" + fileState + ")";
        };
    }

    @Override
    public String missing(String service) {
        return "systemd has no unit " + unit(service) + " (LoadState=not-found); install the package that provides it, "
                + "or check the name";
    }

    @Override
    public void control(String service, Control control) throws IOException, ResourceException {
        CommandResult result = run(List.of("systemctl", control.word(), service), CONTROL_TIMEOUT);
        if (!result.succeeded()) {
            throw new ResourceException("systemctl " + control.word() + " " + service + " failed with exit code "
                    + result.exitCode() + ":\n" + result.evidence() + journal(service));
        }
    }

    @Override
    public void enable(String service, boolean enabled) throws IOException, ResourceException {
        String verb = enabled ? "enable" : "disable";
        CommandResult result = run(List.of("systemctl", verb, service), CONTROL_TIMEOUT);
        if (!result.succeeded()) {
            throw new ResourceException("systemctl " + verb + " " + service + " failed with exit code " + result.exitCode()
                    + ":\n" + result.evidence());
        }
    }

    /** The unit's last journal lines, as evidence after a message; empty when the journal has nothing to say. */
    private String journal(String service) throws IOException {
        List<String> argv = List.of("journalctl", "-u", service, "-n", String.valueOf(JOURNAL_LINES), "--no-pager");
        CommandResult result = run(argv, QUERY_TIMEOUT);
        if (!result.succeeded() || result.stdout().isBlank()) {
            return "";
        }
        return "\nlast journal lines (" + String.join(" ", argv) + "):\n" + result.stdout().strip();
    }

    /** The unit's full name, as systemctl completes it: a name without a unit type is a service. */
    private static String unit(String service) {
        return UNIT_TYPE.matcher(service).find() ? service : service + ".service";
    }

    private CommandResult run(List<String> argv, Duration timeout) throws IOException {
        return commands.run(new Command(argv, null, Map.of(), timeout));
    }
}

package dev.plumb.providers;

import dev.plumb.api.Command;
import dev.plumb.api.CommandResult;
import dev.plumb.api.FailureKind;
import dev.plumb.api.ResourceException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Units as systemd's manager sees them, for the {@code systemd_unit} type: their load, active and unit file state
 * from one {@code systemctl show}, and the {@code systemctl} verbs that stop, enable, mask and reload them. Suits only
 * a host where systemd is PID 1, as {@link SystemdProvider} does.
 */
public final class SystemdUnits {

    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(30);
    /** systemctl waits for a stop job; systemd gives up on one after 90 s by default, so this is a backstop. */
    private static final Duration CONTROL_TIMEOUT = Duration.ofMinutes(5);
    private static final Set<String> ENABLED = Set.of("enabled", "enabled-runtime", "alias");
    private static final Set<String> SWITCHABLE = Set.of("enabled", "enabled-runtime", "alias", "disabled", "linked",
            "linked-runtime");

    private final SystemdProvider services;
    private final Providers providers;

    private SystemdUnits(Providers providers) {
        this.providers = providers;
        this.services = new SystemdProvider(providers.commands());
    }

    /** The units of this host; fails, naming its init system, on a host where systemd is not PID 1. */
    public static SystemdUnits of(Providers providers) throws ResourceException {
        SystemdUnits units = new SystemdUnits(providers);
        if (!units.services.suitable(providers.facts())) {
            throw new ResourceException("systemd units need systemd as the init system; this host's is "
                    + providers.facts().get("init_system"));
        }
        return units;
    }

    /**
     * A unit as systemd knows it now.
     *
     * @param loadState     loaded, not-found, masked, or a failure such as bad-setting
     * @param activeState   active, inactive, failed, ...
     * @param unitFileState enabled, disabled, static, masked, ... (empty for a unit without a file)
     */
    public record State(String loadState, String activeState, String unitFileState) {

        /** A unit systemd has not loaded: what a unit whose file a dry run would only write looks like. */
        public static final State NOT_LOADED = new State("not-found", "inactive", "");

        public boolean found() {
            return !loadState.equals("not-found");
        }

        public boolean running() {
            return SystemdProvider.RUNNING.contains(activeState);
        }

        public boolean masked() {
            return loadState.equals("masked") || unitFileState.startsWith("masked");
        }

        public boolean enabled() {
            return ENABLED.contains(unitFileState);
        }

        /** Whether {@code systemctl enable} and {@code disable} mean anything for it: it has an [Install] section. */
        public boolean switchable() {
            return SWITCHABLE.contains(unitFileState);
        }
    }

    /**
     * The unit's state, as systemd loaded it; fails, with the way to find out why, for a unit file systemd cannot
     * load, whose settings are not what its file says.
     */
    public State loadedState(String unit) throws IOException, ResourceException {
        State state = state(unit);
        if (!List.of("loaded", "not-found", "masked").contains(state.loadState())) {
            throw new ResourceException("systemd cannot load " + unit + " (LoadState=" + state.loadState() + "); "
                    + "'systemd-analyze verify " + unit + "' names what is wrong");
        }
        return state;
    }

    /** The unit's state, even when systemd could not load its file: whether it runs and is enabled still holds. */
    public State state(String unit) throws IOException, ResourceException {
        CommandResult result = run(List.of("systemctl", "show", SystemdProvider.PROPERTIES, unit), QUERY_TIMEOUT);
        if (!result.succeeded()) {
            throw new ResourceException(FailureKind.COMMAND_FAILED, "systemctl show failed with exit code "
                    + result.exitCode() + ":\n" + result.evidence());
        }
        Map<String, String> properties = SystemdProvider.parseShow(result.stdout());
        return new State(properties.getOrDefault("LoadState", ""), properties.getOrDefault("ActiveState", ""),
                properties.getOrDefault("UnitFileState", ""));
    }

    /** Makes systemd read every unit file again, so that changed ones take effect. */
    public void daemonReload() throws IOException, ResourceException {
        systemctl("daemon-reload");
    }

    public void stop(String unit) throws IOException, ResourceException {
        services.control(unit, ServiceProvider.Control.STOP);
    }

    public void enable(String unit, boolean enabled) throws IOException, ResourceException {
        services.enable(unit, enabled);
    }

    public void mask(String unit, boolean masked) throws IOException, ResourceException {
        systemctl(masked ? "mask" : "unmask", unit);
    }

    private void systemctl(String... arguments) throws IOException, ResourceException {
        List<String> argv = new ArrayList<>(List.of("systemctl"));
        argv.addAll(List.of(arguments));
        CommandResult result = run(argv, CONTROL_TIMEOUT);
        if (!result.succeeded()) {
            throw new ResourceException(FailureKind.COMMAND_FAILED, String.join(" ", argv) + " failed with exit code "
                    + result.exitCode() + ":\n" + result.evidence());
        }
    }

    private CommandResult run(List<String> argv, Duration timeout) throws IOException {
        return providers.commands().run(new Command(argv, null, Map.of(), timeout));
    }
}

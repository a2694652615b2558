package dev.plumb.resources;

import dev.plumb.api.Action;
import dev.plumb.api.Attribute;
import dev.plumb.api.AutoRequires;
import dev.plumb.api.Change;
import dev.plumb.api.Command;
import dev.plumb.api.CommandResult;
import dev.plumb.api.Context;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.RefreshAction;
import dev.plumb.api.Refreshable;
import dev.plumb.api.Resource;
import dev.plumb.api.ResourceException;
import dev.plumb.providers.Providers;
import dev.plumb.providers.ServiceProvider;
import dev.plumb.providers.ServiceProvider.Control;
import dev.plumb.providers.ServiceProvider.State;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code service: NAME} — a service of the host's init system, running or stopped now and enabled or not at
 * boot; an attribute left out is left alone. When notified it restarts (or reloads) once, unless it should
 * not run or, unmanaged, does not run. It needs the package of its name when the catalog manages that (and,
 * stopped, goes before that package's removal). A service that does not exist is in sync unless it should run
 * or start at boot. A notifier may ask for a restart or a reload ({@code notify: "reload service:nginx"}); a
 * restart asked by any notifier of the run wins.
 */
public record ServiceResource(
        @Attribute(doc = "the service: a systemd unit (nginx, getty@tty1) or an init script in /etc/init.d")
        String name,
        @Attribute(doc = "whether it runs now; unset: left as it is") Boolean running,
        @Attribute(doc = "whether it starts at boot; unset: left as it is") Boolean enabled,
        @Attribute(doc = "a shell command that restarts it when notified, instead of the provider's "
                + "restart")
        String restart,
        @Attribute(doc = "reload instead of restart when notified, unless the notifier asks for a restart") boolean reload,
        @Attribute(doc = "systemd or sysv; default: the host's init system",
                values = {"systemd", "sysv"})
        String provider) implements Resource, Refreshable, AutoRequires {

    /** The attribute a change that starts or stops the service sets; a start makes a refresh needless. */
    private static final String RUNNING = "running";
    private static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.@:-]*");
    private static final Duration RESTART_TIMEOUT = Duration.ofMinutes(5);

    @Override
    public List<Diagnostic> validate() {
        List<Diagnostic> problems = new ArrayList<>();
        nameRule(problems, "name", name);
        Rules.oneOf(problems, "provider", provider, "systemd", "sysv");
        if (restart != null && reload) {
            problems.add(Diagnostic.ofAttribute("reload", "cannot go with restart: give restart for a command that restarts "
                    + "the service, or reload: true to reload it"));
        }
        if (Boolean.FALSE.equals(running) && (restart != null || reload)) {
            problems.add(Diagnostic.ofAttribute(restart != null ? "restart" : "reload", "has no meaning for a service that is "
                    + "running: false; a notification never starts it"));
        }
        return problems;
    }

    /**
     * The names a service may have, for this resource and the service check alike: a name with a {@code /} or
     * starting with {@code -} would reach the init system as a path or an option.
     */
    public static void nameRule(List<Diagnostic> problems, String attribute, String name) {
        if (!SERVICE_NAME.matcher(name).matches()) {
            problems.add(Diagnostic.ofAttribute(attribute, "'" + name + "' is not a service name; expected letters, digits "
                    + "and _ . @ : - such as nginx or getty@tty1"));
        }
    }

    @Override
    public List<String> autoRequires() {
        return List.of("package:" + name);
    }

    @Override
    public Change converge(Context context, boolean apply) throws IOException, ResourceException {
        ServiceProvider services = context.service(Providers.class).services(provider);
        Optional<State> found = services.query(name);
        if (found.isEmpty() && !Boolean.TRUE.equals(running) && !Boolean.TRUE.equals(enabled)) {
            // A service that does not exist (its package is gone) neither runs nor starts at boot: nothing to do.
            return new Change();
        }
        if (found.isEmpty() && apply) {
            throw new ResourceException(services.missing(name));
        }
        // A dry run sees a service that does not exist as stopped and disabled: a package earlier in the run may
        // install it, and the apply fails if none does.
        State state = found.orElse(State.of(false, false));
        String note = found.isPresent() ? "" : " (not installed yet)";
        Change change = new Change();
        if (running != null && running != state.running()) {
            change.add(Action.CHANGE, RUNNING, state.running(), running, (running ? "start service" : "stop service") + note);
            if (apply) {
                services.control(name, running ? Control.START : Control.STOP);
            }
        }
        if (enabled != null) {
            if (state.enabled() == null) {
                throw new ResourceException("cannot be " + (enabled ? "enabled" : "disabled") + ": " + state.notSwitchable()
                        + "; remove 'enabled' from this service");
            }
            if (!enabled.equals(state.enabled())) {
                change.add(Action.CHANGE, "enabled", state.enabled(), enabled, (enabled ? "enable service" : "disable service") + note);
                if (apply) {
                    services.enable(name, enabled);
                }
            }
        }
        return change;
    }

    /** A service that has just been started needs no restart for the same notification. */
    @Override
    public boolean refreshedBy(Change change) {
        return change.sets(RUNNING, true);
    }

    /** A notifier may ask a service to restart or to reload, whatever its own way is. */
    @Override
    public Set<RefreshAction> refreshActions() {
        return EnumSet.allOf(RefreshAction.class);
    }

    /**
     * Restarts or reloads once for every notice: a restart when any notifier asked for one, or asked for the
     * service's own way and that is to restart (the default; {@code restart} names the command), else a reload.
     */
    @Override
    public Change refresh(Context context, boolean apply, List<Notice> notices) throws IOException, ResourceException {
        Change change = new Change();
        if (Boolean.FALSE.equals(running)) {
            return change;
        }
        ServiceProvider services = context.service(Providers.class).services(provider);
        // With running: true, converge has just made sure it runs; unmanaged, a stopped service stays stopped.
        if (running == null && !services.query(name).map(State::running).orElse(false)) {
            return change;
        }
        String reason = Refreshable.notifiedBy(notices);
        RefreshAction ownWay = reload ? RefreshAction.RELOAD : RefreshAction.RESTART;
        boolean restarts = notices.stream().anyMatch(notice -> (notice.action() != null ? notice.action() : ownWay)
                == RefreshAction.RESTART);
        if (restarts && restart != null) {
            change.add(Action.CHANGE, "refresh", null, restart, "restart with '" + restart + "'" + reason);
            if (apply) {
                runRestart(context);
            }
        } else {
            RefreshAction action = restarts ? RefreshAction.RESTART : RefreshAction.RELOAD;
            change.add(Action.CHANGE, "refresh", null, action.word(), action.word() + reason);
            if (apply) {
                services.control(name, restarts ? Control.RESTART : Control.RELOAD);
            }
        }
        return change;
    }

    private void runRestart(Context context) throws IOException, ResourceException {
        CommandResult result = context.commands().run(Command.shell(restart, null, null, RESTART_TIMEOUT));
        if (!result.succeeded()) {
            String evidence = result.evidence();
            throw new ResourceException("restart command '" + restart + "' exited with " + result.exitCode()
                    + (evidence.isEmpty() ? "" : ":\n" + evidence));
        }
    }
}

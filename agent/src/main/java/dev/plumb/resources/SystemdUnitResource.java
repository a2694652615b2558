package dev.plumb.resources;

import dev.plumb.api.Action;
import dev.plumb.api.Attribute;
import dev.plumb.api.Batched;
import dev.plumb.api.Change;
import dev.plumb.api.Context;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.FailureKind;
import dev.plumb.api.PathBound;
import dev.plumb.api.Removable;
import dev.plumb.api.ResourceException;
import dev.plumb.providers.Providers;
import dev.plumb.providers.SystemdUnits;
import dev.plumb.system.FileErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code systemd_unit: NAME} — a unit file in /etc/systemd/system, written as a {@code file} resource writes its
 * content (backup, diff, one atomic step), and whether the unit starts at boot or is masked. The units of a run that
 * do not depend on each other converge in one step, so that systemd reloads its units once however many files
 * changed, before anything that depends on them (a service it notifies) acts. Without content it manages only
 * {@code enabled} and {@code masked} of a unit a package installed. Absent, it is stopped and disabled, and its file
 * removed.
 */
public record SystemdUnitResource(
        @Attribute(doc = "the unit's full name, such as myapp.service or backup.timer") String name,
        @Attribute(doc = "present (default) or absent: stopped, disabled and its file removed",
                defaultValue = "present", values = {"present", "absent"})
        String ensure,
        @Attribute(doc = "the unit file as text; left out, the file is not managed (a unit a package installed)",
                form = Attribute.Form.ANY_TEXT)
        String content,
        @Attribute(doc = "the unit file when it is not text (from a binary source)", computed = true) String contentBase64,
        @Attribute(doc = "hash of the content, filled in by the compiler", computed = true) String sha256,
        @Attribute(doc = "whether it starts at boot (systemctl enable); unset: left as it is") Boolean enabled,
        @Attribute(doc = "whether it is masked, so that nothing can start it; unset: left as it is") Boolean masked)
        implements Batched, PathBound, Removable {

    /** Where units of the local administrator live, above those packages install in /lib/systemd/system. */
    private static final String UNIT_DIRECTORY = "/etc/systemd/system";
    private static final Pattern UNIT_NAME = Pattern.compile(
            "[A-Za-z0-9_:][A-Za-z0-9_.@:\\\\-]*\\.(service|socket|timer|path|target|mount|automount|swap|slice)");
    /** The mode a unit file gets: systemd reads it as any user may, and it holds no secret. */
    private static final String UNIT_FILE_MODE = "0644";

    @Override
    public List<Diagnostic> validate() {
        List<Diagnostic> problems = new ArrayList<>();
        boolean validName = UNIT_NAME.matcher(name).matches();
        if (!validName) {
            problems.add(Diagnostic.ofAttribute("name", "'" + name + "' is not a unit name; expected letters, digits and "
                    + "_ . @ : - ending in a unit type, such as myapp.service, backup.timer or getty@.service"));
        }
        Rules.oneOf(problems, "ensure", ensure, "present", "absent");
        if (removes()) {
            Map<String, Boolean> given = Map.of("content", managesFile(), "enabled", enabled != null, "masked", masked != null);
            given.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).sorted().forEach(attribute ->
                    problems.add(Diagnostic.ofAttribute(attribute, "has no meaning for a unit that is absent")));
            return problems;
        }
        if (Boolean.TRUE.equals(masked) && managesFile()) {
            problems.add(Diagnostic.ofAttribute("masked", "cannot go with content: masking puts a link to /dev/null where "
                    + "the unit file would be; leave the content out to mask a unit a package installed"));
        }
        if (Boolean.TRUE.equals(masked) && enabled != null) {
            problems.add(Diagnostic.ofAttribute("enabled", "has no meaning for a masked unit, which nothing can start"));
        }
        if (!managesFile() && enabled == null && masked == null) {
            problems.add(Diagnostic.ofAttribute("content", "is missing: give content, source or template, or leave the "
                    + "file alone and set enabled or masked"));
        }
        if (managesFile() && validName) {
            problems.addAll(file().validate());
        }
        return problems;
    }

    @Override
    public String path() {
        return UNIT_DIRECTORY + "/" + name;
    }

    @Override
    public boolean ownsPath() {
        return managesFile() || removes();
    }

    @Override
    public boolean removes() {
        return "absent".equals(ensure);
    }

    private boolean managesFile() {
        return content != null || contentBase64 != null;
    }

    /** The unit file as a file resource: the one way plumb writes, backs up and removes a file's content. */
    private FileResource file() {
        return new FileResource(path(), ensure, content, contentBase64, sha256, removes() ? null : UNIT_FILE_MODE,
                null, null, false, null);
    }

    /**
     * Converges the units in three steps: the absent ones are stopped and disabled and every unit file is written or
     * removed; systemd reloads its units once if any file changed; then each unit is masked, unmasked, enabled or
     * disabled as declared, as systemd now sees it. A dry run reloads nothing and predicts from the units as they are.
     */
    @Override
    public List<Outcome> convergeTogether(Context context, boolean apply, List<Batched> members) {
        List<SystemdUnitResource> units = members.stream().map(SystemdUnitResource.class::cast).toList();
        List<Change> changes = new ArrayList<>();
        List<Outcome> failures = new ArrayList<>();
        SystemdUnits systemd;
        try {
            systemd = SystemdUnits.of(context.service(Providers.class));
        } catch (ResourceException e) {
            return units.stream().map(unit -> Outcome.failed(e.kind(), e.getMessage())).toList();
        }
        boolean reload = false;
        for (SystemdUnitResource unit : units) {
            Change change = new Change();
            failures.add(attempt(() -> unit.convergeFile(context, apply, systemd, change)));
            changes.add(change);
            reload |= unit.ownsPath() && change.isNeeded();
        }
        if (reload && apply) {
            Outcome failed = attempt(systemd::daemonReload);
            if (failed != null) {
                return units.stream().map(unit -> failed).toList();
            }
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < units.size(); i++) {
            SystemdUnitResource unit = units.get(i);
            Change change = changes.get(i);
            Outcome failed = failures.get(i) != null ? failures.get(i)
                    : attempt(() -> unit.convergeState(apply, systemd, change));
            outcomes.add(failed != null ? failed : Outcome.of(change));
        }
        return outcomes;
    }

    /** For an absent unit, stops and disables it while its file still says what it is; then writes or removes that. */
    private void convergeFile(Context context, boolean apply, SystemdUnits systemd, Change change)
            throws IOException, ResourceException {
        if (!ownsPath()) {
            return;
        }
        if (removes() && Files.exists(location(), LinkOption.NOFOLLOW_LINKS)) {
            SystemdUnits.State state = systemd.state(name);
            if (state.running()) {
                change.add(Action.CHANGE, "running", true, false, "stop unit");
                if (apply) {
                    systemd.stop(name);
                }
            }
            if (state.enabled()) {
                change.add(Action.CHANGE, "enabled", true, false, "disable unit");
                if (apply) {
                    systemd.enable(name, false);
                }
            }
        }
        DelegatedChanges.include(change, null, file().converge(context, apply));
    }

    /** Masks or unmasks, then enables or disables the unit, as systemd sees it after the reload. */
    private void convergeState(boolean apply, SystemdUnits systemd, Change change) throws IOException, ResourceException {
        if (removes() || (masked == null && enabled == null)) {
            return;
        }
        SystemdUnits.State found = systemd.loadedState(name);
        boolean loadsLater = !found.found() && !apply && managesFile();
        if (!found.found() && !loadsLater && Boolean.TRUE.equals(enabled)) {
            throw new ResourceException("systemd has no unit " + name + " (LoadState=not-found); give its content, or "
                    + "install the package that provides it");
        }
        String note = loadsLater ? " (not loaded yet)" : "";
        if (masked != null && masked != found.masked()) {
            change.add(Action.CHANGE, "masked", found.masked(), masked, (masked ? "mask unit" : "unmask unit") + note);
            if (apply) {
                systemd.mask(name, masked);
            }
        }
        boolean unmasking = Boolean.FALSE.equals(masked) && found.masked();
        SystemdUnits.State state = unmasking && apply ? systemd.loadedState(name) : found;
        if (enabled != null && enabled != state.enabled()) {
            if (!state.switchable() && found.found() && !unmasking) {
                throw new ResourceException("cannot be " + (enabled ? "enabled" : "disabled") + ": its unit file has no "
                        + "[Install] section (UnitFileState=" + state.unitFileState() + "); add one, or leave enabled out");
            }
            change.add(Action.CHANGE, "enabled", state.enabled(), enabled, (enabled ? "enable unit" : "disable unit") + note);
            if (apply) {
                systemd.enable(name, enabled);
            }
        }
    }

    /** A step that may fail as a resource fails. */
    private interface Step {
        void run() throws IOException, ResourceException;
    }

    /** Runs {@code step}; its failure as an outcome, or null when it succeeded. */
    private static Outcome attempt(Step step) {
        try {
            step.run();
            return null;
        } catch (ResourceException e) {
            return Outcome.failed(e.kind(), e.getMessage());
        } catch (IOException e) {
            return Outcome.failed(FailureKind.IO, FileErrors.describe(e));
        }
    }
}

package dev.plumb.resources;

import dev.plumb.api.Action;
import dev.plumb.api.Attribute;
import dev.plumb.api.Change;
import dev.plumb.api.Command;
import dev.plumb.api.CommandResult;
import dev.plumb.api.Context;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.FailureKind;
import dev.plumb.api.PathBound;
import dev.plumb.api.Removable;
import dev.plumb.api.Resource;
import dev.plumb.api.ResourceException;
import dev.plumb.resources.MountTables.Fstab;
import dev.plumb.resources.MountTables.FstabEntry;
import dev.plumb.resources.MountTables.Mounted;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code mount: MOUNT-POINT} — a file system in /etc/fstab and, {@code mounted}, mounted now. Only the fstab lines of
 * its own mount point are ever written or removed, every other line stays as it was, and the file is written in one
 * step with a backup; only its own mount point is ever unmounted, never what is mounted below it. A changed entry of
 * a mounted file system is remounted: in place for new options, unmounted and mounted again for a new device or type.
 * A missing mount point is created, with its parents, as a directory resource creates one; it stays when the mount goes.
 */
public record MountResource(
        @Attribute(doc = "the mount point, an absolute path such as /srv/data") String name,
        @Attribute(doc = "mounted (default: in fstab and mounted now), present (in fstab only) or absent (unmounted and "
                + "out of fstab)", defaultValue = "mounted", values = {"mounted", "present", "absent"})
        String ensure,
        @Attribute(doc = "what is mounted, as fstab names it: /dev/sdb1, UUID=..., LABEL=..., server:/export, tmpfs")
        String device,
        @Attribute(doc = "the file system type, such as ext4, xfs, nfs or tmpfs") String fstype,
        @Attribute(doc = "mount options separated by commas, such as noatime,nodev", defaultValue = "defaults")
        String options) implements Resource, PathBound, Removable {

    private static final String FSTAB = "/etc/fstab";
    private static final Duration MOUNT_TIMEOUT = Duration.ofMinutes(2);
    /** Two mounts of one run edit the one fstab: they take turns, each reading what the other wrote. */
    private static final Object FSTAB_TURNS = new Object();

    @Override
    public List<Diagnostic> validate() {
        List<Diagnostic> problems = new ArrayList<>();
        Rules.normalPath(problems, "name", name);
        if ("/".equals(name)) {
            problems.add(Diagnostic.ofAttribute("name", "is the root file system, which plumb does not mount or unmount"));
        }
        Rules.oneOf(problems, "ensure", ensure, "mounted", "present", "absent");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("device", device);
        fields.put("fstype", fstype);
        fields.put("options", options);
        fields.forEach((attribute, value) -> {
            if (removes() && value != null) {
                problems.add(Diagnostic.ofAttribute(attribute, "has no meaning for a mount that is absent"));
            } else if (!removes() && value == null && !attribute.equals("options")) {
                problems.add(Diagnostic.ofAttribute(attribute, "is required: fstab names " + (attribute.equals("device")
                        ? "what is mounted, such as /dev/sdb1 or UUID=..." : "the file system type, such as ext4")));
            } else if (value != null && (value.isEmpty() || !value.matches("\\S+"))) {
                problems.add(Diagnostic.ofAttribute(attribute, "'" + value + "' is empty or holds whitespace, which would "
                        + "split the fstab line"));
            }
        });
        return problems;
    }

    @Override
    public boolean removes() {
        return "absent".equals(ensure);
    }

    @Override
    public String path() {
        return name;
    }

    /**
     * The mount decides what its mount point is, as a directory resource would: what the catalog puts below it comes
     * after it (on the mounted file system, not hidden under it), and it comes after the mount or directory above it.
     */
    @Override
    public boolean ownsPath() {
        return true;
    }

    @Override
    public boolean createsDirectory() {
        return mounts();
    }

    private boolean mounts() {
        return !removes() && !"present".equals(ensure);
    }

    @Override
    public Change converge(Context context, boolean apply) throws IOException, ResourceException {
        synchronized (FSTAB_TURNS) {
            Path fstabFile = Path.of(FSTAB);
            String text = Files.exists(fstabFile) ? Files.readString(fstabFile, StandardCharsets.UTF_8) : "";
            Fstab fstab = Fstab.parse(text);
            List<Integer> lines = fstab.linesOf(name);
            if (lines.size() > 1) {
                throw new ResourceException(FSTAB + " mounts something on " + name + " in " + lines.size() + " lines ("
                        + String.join(", ", lines.stream().map(line -> "line " + (line + 1)).toList())
                        + "); keep one of them by hand, and plumb manages it");
            }
            FstabEntry current = lines.isEmpty() ? null : fstab.entry(lines.get(0));
            Optional<Mounted> mounted = MountTables.mounted(name);
            Change change = new Change();
            if (removes()) {
                if (mounted.isPresent()) {
                    change.add(Action.REMOVE, "ensure", "mounted", "absent", "unmount " + name);
                    if (apply) {
                        run(context, "umount", name);
                    }
                }
                if (current != null) {
                    change.add(Action.REMOVE, "fstab", current.line(), null, "remove from " + FSTAB + ": " + current.line());
                    writeFstab(context, apply, fstab.without(name), change);
                }
                return change;
            }
            FstabEntry desired = new FstabEntry(device, name, fstype, options != null ? options : "defaults", "0", "0");
            if (current == null) {
                change.add(Action.CHANGE, "fstab", null, desired.line(), "add to " + FSTAB + ": " + desired.line());
            } else if (!current.sameAs(desired)) {
                change.changed("fstab", current.line(), desired.line());
            }
            if (change.isNeeded()) {
                // mount reads fstab: the entry is written before anything is mounted from it.
                writeFstab(context, apply, fstab.with(lines.isEmpty() ? -1 : lines.get(0), desired), change);
            }
            if (mounts()) {
                mountNow(context, apply, current, mounted, change);
            }
            return change;
        }
    }

    /**
     * Mounts the file system from fstab when nothing is mounted there, creating the mount point (with its parents)
     * when it is missing; remounts one that is, when its entry was not
     * there or changed: in place for other options, unmounted first for another device or type.
     */
    private void mountNow(Context context, boolean apply, FstabEntry before, Optional<Mounted> mounted, Change change)
            throws IOException, ResourceException {
        if (mounted.isEmpty()) {
            DirectoryResource mountPoint = new DirectoryResource(name, "present", null, null, null, false, false);
            DelegatedChanges.include(change, null, mountPoint.converge(context, apply));
            change.add(Action.CREATE, "ensure", "unmounted", "mounted", "mount " + fstype + " " + device + " on " + name);
            if (apply) {
                run(context, "mount", name);
            }
            return;
        }
        boolean otherFileSystem = !mounted.get().fstype().equals(fstype)
                || (before != null && !before.device().equals(device));
        if (otherFileSystem) {
            change.add(Action.CHANGE, "device", mounted.get().source(), device, "unmount " + mounted.get().fstype() + " "
                    + mounted.get().source() + " from " + name + " and mount " + fstype + " " + device);
            if (apply) {
                run(context, "umount", name);
                run(context, "mount", name);
            }
        } else if (before == null || !before.options().equals(desiredOptions())) {
            change.add(Action.CHANGE, "options", before == null ? null : before.options(), desiredOptions(),
                    "remount " + name + " with " + desiredOptions());
            if (apply) {
                run(context, "mount", "-o", "remount", name);
            }
        }
    }

    private String desiredOptions() {
        return options != null ? options : "defaults";
    }

    /** Writes fstab as a file resource writes content: in one step, with a backup; its diff shows the line. */
    private static void writeFstab(Context context, boolean apply, String text, Change change)
            throws IOException, ResourceException {
        DelegatedChanges.includeEvidence(change, FileResource.text(FSTAB, text, null, null, null).converge(context, apply));
    }

    private static void run(Context context, String... argv) throws IOException, ResourceException {
        CommandResult result = context.commands().run(new Command(List.of(argv), null, Map.of(), MOUNT_TIMEOUT));
        if (!result.succeeded()) {
            throw new ResourceException(FailureKind.COMMAND_FAILED, String.join(" ", argv) + " failed with exit code "
                    + result.exitCode() + ":\n" + result.evidence());
        }
    }
}

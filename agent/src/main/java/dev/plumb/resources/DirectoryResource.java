package dev.plumb.resources;

import dev.plumb.api.Action;
import dev.plumb.api.Attribute;
import dev.plumb.api.AutoRequires;
import dev.plumb.api.Change;
import dev.plumb.api.Context;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.PathBound;
import dev.plumb.api.Removable;
import dev.plumb.api.Resource;
import dev.plumb.api.ResourceException;
import dev.plumb.system.FileAttributes;
import dev.plumb.system.SafeDirectories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code directory: PATH} — a directory with the given mode, owner and group, created with its parents.
 */
public record DirectoryResource(
        @Attribute(doc = "absolute path of the directory") String path,
        @Attribute(doc = "present (default) or absent (removes it with everything inside, backed up)",
                defaultValue = "present", values = {"present", "absent"})
        String ensure,
        @Attribute(doc = "octal mode such as \"0755\"; left out, it is not managed", form = Attribute.Form.FILE_MODE)
        String mode,
        @Attribute(doc = "user name; left out, it is not managed") String owner,
        @Attribute(doc = "group name; left out, it is not managed") String group,
        @Attribute(doc = "remove every entry inside that the catalog does not manage") boolean purge,
        @Attribute(doc = "allow purge or ensure: absent on a top-level system directory such as /etc or "
                + "/usr")
        boolean force)
        implements Resource, PathBound, AutoRequires, Removable {

    /** The top-level directories a Linux system needs; emptying one by mistake breaks the host. */
    private static final Set<String> SYSTEM_DIRECTORIES = Set.of("/bin", "/boot", "/dev", "/etc", "/home", "/lib",
            "/lib32", "/lib64", "/libx32", "/media", "/mnt", "/opt", "/proc", "/root", "/run", "/sbin", "/srv", "/sys",
            "/tmp", "/usr", "/var");

    @Override
    public List<Diagnostic> validate() {
        List<Diagnostic> problems = new ArrayList<>();
        Rules.normalPath(problems, "path", path);
        Rules.oneOf(problems, "ensure", ensure, "present", "absent");
        Rules.mode(problems, mode);
        if (purge && "absent".equals(ensure)) {
            problems.add(Diagnostic.ofAttribute("purge", "has no meaning for a directory that is absent"));
        }
        String removal = purge ? "purge" : "absent".equals(ensure) ? "remove" : null;
        if (removal != null && "/".equals(path)) {
            problems.add(Diagnostic.ofAttribute(purge ? "purge" : "ensure", "plumb never purges or removes /"));
        } else if (removal != null && SYSTEM_DIRECTORIES.contains(path) && !force) {
            problems.add(Diagnostic.ofAttribute(purge ? "purge" : "ensure", path + " is a top-level system directory; "
                    + "plumb refuses to " + removal + " it unless the resource also sets force: true"));
        }
        return problems;
    }

    @Override
    public boolean createsDirectory() {
        return !"absent".equals(ensure);
    }

    @Override
    public List<String> autoRequires() {
        return Accounts.requiredBy(owner, group);
    }

    @Override
    public boolean removes() {
        return "absent".equals(ensure);
    }

    @Override
    public boolean ownsPath() {
        return true;
    }

    @Override
    public Change converge(Context context, boolean apply) throws IOException, ResourceException {
        Path directory = location();
        PosixFileAttributes current = FileAttributes.readOrNull(directory);
        boolean exists = current != null;
        if (exists && !current.isDirectory()) {
            throw new ResourceException(directory + " exists but is not a directory; remove it or manage it as a file or symlink");
        }
        Change change = new Change();
        if ("absent".equals(ensure)) {
            if (exists) {
                Tree.requireRemovable(directory);
                change.add(Action.REMOVE, "ensure", "directory", "absent", "remove directory and everything inside");
                if (apply) {
                    Tree.removeAll(directory, context, change);
                }
            }
            return change;
        }
        FileAttributes desired = new FileAttributes(mode, owner, group);
        if (!exists) {
            String attributes = desired.describe();
            change.add(Action.CREATE, "ensure", null, "directory", "create directory" + (attributes.isEmpty() ? "" : ", " + attributes));
            if (apply) {
                create(directory, desired);
            }
            return change;
        }
        List<Change.Entry> attributeChanges = desired.differencesFrom(current);
        attributeChanges.forEach(change::add);
        if (apply && !attributeChanges.isEmpty()) {
            Tree.applyAttributes(directory, desired);
        }
        if (purge) {
            purgeUnmanaged(directory, current.fileKey(), context, change, apply);
        }
        return change;
    }

    /**
     * Creates the directory with its final mode from the start (the umask can only make it stricter until the mode is
     * set exactly), so that no one can open it while it is looser than declared; missing parents get the usual 0755
     * under the umask. The owner and group are set through the open parent, never through a link.
     */
    private static void create(Path directory, FileAttributes desired) throws IOException, ResourceException {
        Tree.requireNoSymlinkAbove(directory, "create");
        Files.createDirectories(directory.getParent());
        String initialMode = desired.mode() != null ? desired.mode() : "0755";
        Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(FileAttributes.permissions(initialMode)));
        Tree.applyAttributes(directory, desired);
    }

    /**
     * Removes the entries the catalog does not manage. The directory is opened once, from / without following an
     * untrusted link, and must be the one checked ({@code checked} is its file key); it is listed, checked and emptied
     * through that one handle, so swapping it for a link mid-run redirects nothing.
     */
    private static void purgeUnmanaged(Path directory, Object checked, Context context, Change change, boolean apply)
            throws IOException, ResourceException {
        try (SecureDirectoryStream<Path> handle = Tree.openDirectory(directory, directory, "purge")) {
            if (!SafeDirectories.fileKey(handle).equals(checked)) {
                throw new ResourceException("refusing to purge " + directory + ": it was replaced while plumb checked it");
            }
            Map<Path, Object> unmanaged = new LinkedHashMap<>();
            for (Path name : Tree.entries(handle)) {
                Path entry = directory.resolve(name);
                if (!context.isManagedOrHoldsManaged(entry)) {
                    Tree.requireNoMountPoint(entry);
                    unmanaged.put(name, SafeDirectories.entry(handle, name).fileKey());
                    change.add(Action.CHANGE, "purge", entry.toString(), null, "purge unmanaged " + entry);
                }
            }
            if (apply) {
                Tree.removeAll(handle, directory, unmanaged, context, change);
            }
        }
    }
}

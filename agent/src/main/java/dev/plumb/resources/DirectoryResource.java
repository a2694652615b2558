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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

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
        Rules.absolutePath(problems, "path", path);
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
        boolean exists = Files.exists(directory, LinkOption.NOFOLLOW_LINKS);
        if (exists && !Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            throw new ResourceException(directory + " exists but is not a directory; remove it or manage it as a file or symlink");
        }
        Change change = new Change();
        if ("absent".equals(ensure)) {
            if (exists) {
                Tree.requireRemovable(directory);
                change.add(Action.REMOVE, "remove directory and everything inside");
                if (apply) {
                    Tree.removeAll(List.of(directory), context, change);
                }
            }
            return change;
        }
        FileAttributes desired = new FileAttributes(mode, owner, group);
        if (!exists) {
            String attributes = desired.describe();
            change.add(Action.CREATE, "create directory" + (attributes.isEmpty() ? "" : ", " + attributes));
            if (apply) {
                Files.createDirectories(directory);
                desired.applyTo(directory);
            }
            return change;
        }
        List<String> attributeChanges = desired.differencesAt(directory);
        attributeChanges.forEach(detail -> change.add(Action.CHANGE, detail));
        if (apply && !attributeChanges.isEmpty()) {
            desired.applyTo(directory);
        }
        if (purge) {
            purgeUnmanaged(directory, context, change, apply);
        }
        return change;
    }

    private static void purgeUnmanaged(Path directory, Context context, Change change, boolean apply)
            throws IOException, ResourceException {
        Tree.requireNoSymlinkAbove(directory, "purge");
        List<Path> unmanaged;
        try (Stream<Path> entries = Files.list(directory)) {
            unmanaged = entries.filter(entry -> !context.isManagedOrHoldsManaged(entry)).sorted().toList();
        }
        for (Path entry : unmanaged) {
            Tree.requireRemovable(entry);
            change.add(Action.CHANGE, "purge unmanaged " + entry);
        }
        if (apply) {
            Tree.removeAll(unmanaged, context, change);
        }
    }
}

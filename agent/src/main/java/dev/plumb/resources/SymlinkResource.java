package dev.plumb.resources;

import dev.plumb.api.Action;
import dev.plumb.api.Attribute;
import dev.plumb.api.Change;
import dev.plumb.api.Context;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.PathBound;
import dev.plumb.api.Resource;
import dev.plumb.api.ResourceException;
import dev.plumb.system.AtomicFiles;
import dev.plumb.system.FileAttributes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code symlink: PATH} — a symbolic link pointing at {@code target}. A regular file in its place is backed up
 * and replaced; a directory is never replaced.
 */
public record SymlinkResource(
        @Attribute(doc = "absolute path of the link") String path,
        @Attribute(doc = "what the link points at, written as given (relative targets stay relative)") String target,
        @Attribute(doc = "present (default) or absent",
                defaultValue = "present", values = {"present", "absent"})
        String ensure) implements Resource, PathBound {

    @Override
    public List<Diagnostic> validate() {
        List<Diagnostic> problems = new ArrayList<>();
        Rules.normalPath(problems, "path", path);
        Rules.oneOf(problems, "ensure", ensure, "present", "absent");
        if (!"absent".equals(ensure)) {
            Rules.required(problems, "target", target);
        }
        Rules.noControlCharacters(problems, "target", target);
        return problems;
    }

    @Override
    public boolean ownsPath() {
        return true;
    }

    @Override
    public Change converge(Context context, boolean apply) throws IOException, ResourceException {
        Path link = location();
        PosixFileAttributes current = FileAttributes.readOrNull(link);
        if (current != null && current.isDirectory()) {
            throw new ResourceException(link + " is a directory; plumb does not replace a directory with a symlink");
        }
        boolean isLink = current != null && current.isSymbolicLink();
        Change change = new Change();
        Tree.requireNoSymlinkAbove(link, "absent".equals(ensure) ? "remove" : "write");
        Tree.removeStrayTemporaries(link, change, apply);
        if ("absent".equals(ensure)) {
            if (isLink) {
                change.add(Action.REMOVE, "ensure", "symlink", "absent", "remove symlink to '" + Files.readSymbolicLink(link) + "'");
                if (apply) {
                    Tree.delete(link);
                }
            } else if (current != null) {
                throw new ResourceException(link + " is not a symlink; plumb leaves it alone");
            }
            return change;
        }
        if (current == null) {
            FileResource.requireParentDirectory(link, context, apply);
            change.add(Action.CREATE, "ensure", null, "symlink", "create symlink to '" + target + "'");
        } else if (!isLink) {
            change.add(Action.CHANGE, "ensure", "file", "symlink", "replace file with symlink to '" + target + "'");
        } else {
            String currentTarget = Files.readSymbolicLink(link).toString();
            if (!currentTarget.equals(target)) {
                change.changed("target", currentTarget, target);
            }
        }
        if (apply && change.isNeeded()) {
            if (current != null && current.isRegularFile()) {
                change.backup(context.backups().save(link));
            }
            // No symlinkat through a directory handle in Java: the link is made by path, then renamed through the
            // handle, so a parent swapped meanwhile makes the rename fail instead of placing the link elsewhere.
            Path temporary = AtomicFiles.temporaryName(link.getFileName());
            try (SecureDirectoryStream<Path> parent = Tree.openParent(link, "write")) {
                Files.createSymbolicLink(link.resolveSibling(temporary), Path.of(target));
                AtomicFiles.rename(parent, temporary, link.getFileName());
            }
        }
        return change;
    }
}

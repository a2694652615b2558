package dev.plumb.resources;

import dev.plumb.api.Action;
import dev.plumb.api.Backup;
import dev.plumb.api.Change;
import dev.plumb.api.Context;
import dev.plumb.api.ResourceException;
import dev.plumb.system.AtomicFiles;
import dev.plumb.system.FileAttributes;
import dev.plumb.system.FileErrors;
import dev.plumb.system.SafeDirectories;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Removal the way {@code rm -r --one-file-system --preserve-root} removes: a path and everything under it, never
 * through a symlink (a link is removed itself), never across into another filesystem, and with a backup of every
 * regular file first. The removal works relative to open directories (openat and unlinkat, through Java's
 * {@link SecureDirectoryStream}) reached from / without following an untrusted link ({@link SafeDirectories}), and
 * checks each root and directory against what it saw before (file keys, devices read through the handle), so a
 * directory swapped for a link or another directory while it runs is not followed.
 */
final class Tree {

    /** How many removed paths a failure message lists before it counts the rest. */
    private static final int LISTED = 20;

    private Tree() {
    }

    /**
     * Refuses, before anything changes, a removal of {@code root} that would go through an untrusted symlink among its
     * parents or reach a mount point at or below it. Plan and check call it too, so they show the failure apply would
     * meet. Returns the root's file key (device and inode), which the removal compares with what it opens.
     */
    static Object requireRemovable(Path root) throws IOException, ResourceException {
        requireNoSymlinkAbove(root, "remove");
        requireNoMountPoint(root);
        return Files.readAttributes(root, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    /** Refuses a removal of {@code root} that would reach a mount point at or below it. */
    static void requireNoMountPoint(Path root) throws IOException, ResourceException {
        Object device = device(root.getParent());
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) throws IOException {
                    if (!device.equals(device(directory))) {
                        throw new MountPointException(directory);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (MountPointException e) {
            throw new ResourceException("refusing to remove " + root + ": " + e.getMessage());
        }
    }

    /**
     * Refuses to {@code act} on {@code path} when the way to its parent holds a symlink that
     * {@link SafeDirectories} would not follow. A parent that does not exist yet holds no link.
     */
    static void requireNoSymlinkAbove(Path path, String act) throws IOException, ResourceException {
        try (SecureDirectoryStream<Path> parent = openParentIfAny(path, act)) {
            // Opened only to prove the way is safe; a parent not there yet is checked by what creates it.
        }
    }

    /** Opens the directory holding {@code path} as {@link SafeDirectories#open} does, refusing to {@code act} through an untrusted link. */
    static SecureDirectoryStream<Path> openParent(Path path, String act) throws IOException, ResourceException {
        return openDirectory(path.getParent(), path, act);
    }

    /** Opens {@code directory} as {@link SafeDirectories#open} does; an untrusted link refuses to {@code act} on {@code path}. */
    static SecureDirectoryStream<Path> openDirectory(Path directory, Path path, String act)
            throws IOException, ResourceException {
        try {
            return SafeDirectories.open(directory);
        } catch (SafeDirectories.UntrustedLinkException e) {
            throw new ResourceException("refusing to " + act + " " + path + ": its parent " + e.getMessage());
        }
    }

    /**
     * Removes {@code root} and everything under it, adding to {@code change} the backups taken. The parent is opened
     * from / without following an untrusted link, and the root found there must be the one checked.
     */
    static void removeAll(Path root, Context context, Change change) throws IOException, ResourceException {
        Object checked = requireRemovable(root);
        try (SecureDirectoryStream<Path> parent = openParent(root, "remove")) {
            removeAll(parent, root.getParent(), Map.of(root.getFileName(), checked), context, change);
        }
    }

    /**
     * Removes the entries {@code checked} names (each with the file key it had when it was checked) from the open
     * directory {@code parent}, at {@code parentPath}, with everything under them. A failure part-way names what was
     * removed before it, with the backups.
     */
    static void removeAll(SecureDirectoryStream<Path> parent, Path parentPath, Map<Path, Object> checked,
                          Context context, Change change) throws ResourceException {
        List<Path> removed = new ArrayList<>();
        String device;
        try {
            device = SafeDirectories.device(SafeDirectories.attributes(parent));
        } catch (IOException e) {
            throw partly(parentPath, removed, change, FileErrors.describe(e));
        }
        for (Map.Entry<Path, Object> entry : new TreeMap<>(checked).entrySet()) {
            Path root = parentPath.resolve(entry.getKey());
            try {
                BasicFileAttributes found = SafeDirectories.entry(parent, entry.getKey());
                if (!found.fileKey().equals(entry.getValue())) {
                    throw new FileSystemException(root.toString(), null, "was replaced while plumb checked it");
                }
                removeEntry(parent, device, root, context, change, removed);
            } catch (IOException e) {
                throw partly(root, removed, change, e instanceof MountPointException ? e.getMessage()
                        : FileErrors.describe(e));
            }
        }
    }

    /** Sets {@code attributes} on {@code path} through its parent, opened without following an untrusted link. */
    static void applyAttributes(Path path, FileAttributes attributes) throws IOException, ResourceException {
        try (SecureDirectoryStream<Path> parent = openParent(path, "change")) {
            attributes.applyTo(parent, path.getFileName());
        } catch (FileSystemException e) {
            throw SafeDirectories.naming(e, path);
        }
    }

    /** Removes the file or symlink at {@code path} (not a directory) through its parent, opened as for a removal. */
    static void delete(Path path) throws IOException, ResourceException {
        try (SecureDirectoryStream<Path> parent = openParent(path, "remove")) {
            parent.deleteFile(path.getFileName());
        } catch (FileSystemException e) {
            throw SafeDirectories.naming(e, path);
        }
    }

    /**
     * Reports the temporary files a killed run left next to {@code target}, and removes them on apply. A temporary
     * file of a write still running (this run's, or a concurrent one's) is not stray: see {@link AtomicFiles#strays}.
     */
    static void removeStrayTemporaries(Path target, Change change, boolean apply) throws IOException, ResourceException {
        try (SecureDirectoryStream<Path> parent = openParentIfAny(target, "clean up next to")) {
            if (parent != null) {
                removeStrayTemporaries(parent, target, change, apply);
            }
        }
    }

    /** As {@link #removeStrayTemporaries(Path, Change, boolean)}, in {@code target}'s directory, already open. */
    static void removeStrayTemporaries(SecureDirectoryStream<Path> parent, Path target, Change change, boolean apply)
            throws IOException {
        for (Path stray : AtomicFiles.strays(parent, target.getFileName())) {
            Path path = target.resolveSibling(stray);
            change.add(Action.CHANGE, "strayTemporary", path.toString(), null, "remove stray temp file " + path);
            if (apply) {
                AtomicFiles.removeStray(parent, stray);
            }
        }
    }

    /**
     * Opens the directory holding {@code path} as {@link #openParent} does, refusing to {@code act} through an
     * untrusted link; null when it does not exist yet (what creates it goes through the same check).
     */
    static SecureDirectoryStream<Path> openParentIfAny(Path path, String act) throws IOException, ResourceException {
        try {
            return openParent(path, act);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static void removeEntry(SecureDirectoryStream<Path> parent, String device, Path path, Context context,
                                    Change change, List<Path> removed) throws IOException {
        try {
            removeEntryRelative(parent, device, path, context, change, removed);
        } catch (FileSystemException e) {
            throw SafeDirectories.naming(e, path);
        }
    }

    private static void removeEntryRelative(SecureDirectoryStream<Path> parent, String device, Path path,
                                            Context context, Change change, List<Path> removed) throws IOException {
        Path name = path.getFileName();
        BasicFileAttributes attributes = SafeDirectories.entry(parent, name);
        if (attributes.isDirectory()) {
            // Checked through the open parent right before going in: what the walk saw may have changed since.
            if (!device.equals(SafeDirectories.device(attributes))) {
                throw new MountPointException(path);
            }
            try (SecureDirectoryStream<Path> directory = parent.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
                if (!SafeDirectories.fileKey(directory).equals(attributes.fileKey())) {
                    throw new FileSystemException(path.toString(), null, "was replaced while plumb removed it");
                }
                for (Path child : entries(directory)) {
                    removeEntry(directory, device, path.resolve(child.getFileName()), context, change, removed);
                }
            }
            parent.deleteDirectory(name);
        } else {
            Backup backup = attributes.isRegularFile() ? context.backups().save(path, parent, name) : null;
            parent.deleteFile(name);
            if (backup != null) {
                change.backup(backup);
            }
        }
        removed.add(path);
    }

    /** The names in an open directory, sorted. */
    static List<Path> entries(DirectoryStream<Path> directory) {
        List<Path> entries = new ArrayList<>();
        directory.forEach(entry -> entries.add(entry.getFileName()));
        entries.sort(null);
        return entries;
    }

    private static Object device(Path path) throws IOException {
        return Files.getAttribute(path, "unix:dev", LinkOption.NOFOLLOW_LINKS);
    }

    /** The failure of a removal, carrying exactly what was removed before it, with the backups, for the report. */
    private static ResourceException partly(Path root, List<Path> removed, Change change, String reason) {
        if (removed.isEmpty()) {
            return new ResourceException("cannot remove " + root + ": " + reason + "; nothing was removed");
        }
        Change done = new Change();
        removed.forEach(path -> done.add(Action.REMOVE, "path", path.toString(), null, "removed " + path));
        change.backups().forEach(done::backup);
        List<String> listed = removed.stream().limit(LISTED).map(Path::toString).toList();
        String more = removed.size() > LISTED ? " and " + (removed.size() - LISTED) + " more" : "";
        List<String> backups = change.backups().stream().limit(LISTED).map(b -> b.path() + " (" + b.sha256() + ")").toList();
        String moreBackups = change.backups().size() > LISTED ? " and " + (change.backups().size() - LISTED) + " more" : "";
        return new ResourceException("cannot remove " + root + ": " + reason + "; removed before that: "
                + String.join(", ", listed) + more + "; backups: " + (backups.isEmpty() ? "none" : String.join(", ", backups))
                + moreBackups, done);
    }

    /** A directory on another filesystem than the one the removal started on. */
    private static final class MountPointException extends IOException {
        MountPointException(Path directory) {
            super(directory + " is a mount point (another filesystem); plumb does not remove across filesystems: "
                    + "unmount it or remove it by hand");
        }
    }
}

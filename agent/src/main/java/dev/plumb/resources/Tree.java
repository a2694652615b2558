package dev.plumb.resources;

import dev.plumb.api.Action;
import dev.plumb.api.Backup;
import dev.plumb.api.Change;
import dev.plumb.api.Context;
import dev.plumb.api.ResourceException;
import dev.plumb.system.AtomicFiles;
import dev.plumb.system.FileErrors;
import dev.plumb.system.SafePaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Removal the way {@code rm -r --one-file-system --preserve-root} removes: a path and everything under it, never
 * through a symlink (a link is removed itself), never across into another filesystem, and with a backup of every
 * regular file first. The removal works relative to open directories (openat and unlinkat, through Java's
 * {@link SecureDirectoryStream}), so a directory swapped for a link while it runs is not followed.
 */
final class Tree {

    /** How many removed paths a failure message lists before it counts the rest. */
    private static final int LISTED = 20;

    private Tree() {
    }

    /**
     * Refuses, before anything changes, a removal of {@code root} that would go through a symlink among its parents or
     * reach a mount point at or below it. Plan and check call it too, so they show the failure apply would meet.
     */
    static void requireRemovable(Path root) throws IOException, ResourceException {
        requireNoSymlinkAbove(root, "remove");
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

    /** Refuses to {@code act} on {@code path} when one of its parents is a symlink. */
    static void requireNoSymlinkAbove(Path path, String act) throws IOException, ResourceException {
        Path link = SafePaths.symlinkAbove(path);
        if (link != null) {
            throw new ResourceException("refusing to " + act + " " + path + ": its parent " + link + " is a symlink (to '"
                    + Files.readSymbolicLink(link) + "') that the catalog does not declare; write the path without the link");
        }
    }

    /**
     * Removes each of {@code roots} and everything under it, adding to {@code change} the backups taken. Every root is
     * checked before the first is touched. A failure part-way names what was removed before it, with the backups.
     */
    static void removeAll(List<Path> roots, Context context, Change change) throws IOException, ResourceException {
        for (Path root : roots) {
            requireRemovable(root);
        }
        List<Path> removed = new ArrayList<>();
        for (Path root : roots) {
            try (SecureDirectoryStream<Path> parent = open(root.getParent())) {
                removeEntry(parent, root, context, change, removed);
            } catch (IOException e) {
                throw partly(root, removed, change, e instanceof MountPointException ? e.getMessage()
                        : FileErrors.describe(e));
            }
        }
    }

    /** Reports a stray temporary file a killed run left next to {@code target}, and removes it on apply. */
    static void removeStrayTemporary(Path target, Change change, boolean apply) throws IOException {
        Path stray = AtomicFiles.temporarySibling(target);
        if (Files.exists(stray, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(stray, LinkOption.NOFOLLOW_LINKS)) {
            change.add(Action.CHANGE, "strayTemporary", stray.toString(), null, "remove stray temp file " + stray);
            if (apply) {
                Files.deleteIfExists(stray);
            }
        }
    }

    private static void removeEntry(SecureDirectoryStream<Path> parent, Path path, Context context, Change change,
                                    List<Path> removed) throws IOException {
        try {
            removeEntryRelative(parent, path, context, change, removed);
        } catch (FileSystemException e) {
            // Operations relative to an open directory name only the entry: name the whole path instead.
            throw e.getFile() != null && !e.getFile().startsWith("/")
                    ? new FileSystemException(path.toString(), null, e.getReason()) : e;
        }
    }

    private static void removeEntryRelative(SecureDirectoryStream<Path> parent, Path path, Context context, Change change,
                                            List<Path> removed) throws IOException {
        Path name = path.getFileName();
        BasicFileAttributes attributes = parent.getFileAttributeView(name, BasicFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS).readAttributes();
        if (attributes.isDirectory()) {
            // Checked again right before going in: what the walk saw may have changed since.
            if (!device(path).equals(device(path.getParent()))) {
                throw new MountPointException(path);
            }
            try (SecureDirectoryStream<Path> directory = parent.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
                for (Path child : entries(directory)) {
                    removeEntry(directory, child, context, change, removed);
                }
            }
            parent.deleteDirectory(name);
        } else {
            Backup backup = attributes.isRegularFile() ? context.backups().save(path, read(parent, name)) : null;
            parent.deleteFile(name);
            if (backup != null) {
                change.backup(backup);
            }
        }
        removed.add(path);
    }

    private static List<Path> entries(DirectoryStream<Path> directory) {
        List<Path> entries = new ArrayList<>();
        directory.forEach(entries::add);
        entries.sort(null);
        return entries;
    }

    private static byte[] read(SecureDirectoryStream<Path> directory, Path name) throws IOException {
        try (InputStream in = Channels.newInputStream(directory.newByteChannel(name,
                Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)))) {
            return in.readAllBytes();
        }
    }

    private static SecureDirectoryStream<Path> open(Path directory) throws IOException {
        DirectoryStream<Path> stream = Files.newDirectoryStream(directory);
        if (stream instanceof SecureDirectoryStream<Path> secure) {
            return secure;
        }
        stream.close();
        throw new IOException("this platform cannot remove " + directory + "'s entries relative to an open directory; "
                + "plumb removes nothing it cannot remove without following links");
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
        List<String> backups = change.backups().stream().map(b -> b.path() + " (" + b.sha256() + ")").toList();
        return new ResourceException("cannot remove " + root + ": " + reason + "; removed before that: "
                + String.join(", ", listed) + more + "; backups: " + (backups.isEmpty() ? "none" : String.join(", ", backups)),
                done);
    }

    /** A directory on another filesystem than the one the removal started on. */
    private static final class MountPointException extends IOException {
        MountPointException(Path directory) {
            super(directory + " is a mount point (another filesystem); plumb does not remove across filesystems: "
                    + "unmount it or remove it by hand");
        }
    }
}

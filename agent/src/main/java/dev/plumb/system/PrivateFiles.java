package dev.plumb.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Secrets on disk (an agent's credential, a server's CA key and admin token): directories only their owner can enter
 * (0700), files only their owner can read (0600), written whole as {@link AtomicFiles} writes.
 */
public final class PrivateFiles {

    private static final FileAttributes PRIVATE = new FileAttributes("0600", null, null);

    private PrivateFiles() {
    }

    /**
     * Creates {@code directory} and its missing parents 0700, and makes an existing one 0700; a symlink in its place
     * is refused rather than followed.
     */
    public static Path directory(Path directory) throws IOException {
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(directory + " is not a directory");
        }
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        return directory;
    }

    /**
     * Whether {@code path} is this process's user's, not a symlink, and writable by no one else: what another user can
     * write (a state directory shared by mistake) must not be trusted with, or read back as, plumb's own.
     */
    public static boolean ownedByUsAlone(Path path) {
        try {
            Map<String, Object> attributes = Files.readAttributes(path, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
            Object us = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return attributes.get("uid").equals(us) && ((Integer) attributes.get("mode") & 0022) == 0
                    && !Files.isSymbolicLink(path);
        } catch (IOException | UnsupportedOperationException | ClassCastException e) {
            return false;
        }
    }

    /** Replaces {@code file} with {@code content}, 0600 from its first byte, never through a symlink. */
    public static void write(Path file, byte[] content) throws IOException {
        AtomicFiles.write(file, content, PRIVATE);
    }
}

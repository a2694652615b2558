package dev.plumb.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

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

    /** Replaces {@code file} with {@code content}, 0600 from its first byte, never through a symlink. */
    public static void write(Path file, byte[] content) throws IOException {
        AtomicFiles.write(file, content, PRIVATE);
    }
}

package dev.plumb.system;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes that are never half done and never readable by anyone who could not read the result: the new content
 * goes to a temporary file in the same directory, created readable by its creator only, is flushed to disk, gets
 * its owner and then its final mode, and is renamed over the target in one step. A crash leaves either the old
 * file or the new one, never a mix; a temporary file it leaves behind is private and is replaced by the next write.
 */
public final class AtomicFiles {

    private static final String DEFAULT_FILE_MODE = "0644";
    private static final String TEMPORARY_MARK = ".plumb-";
    private static final FileAttribute<Set<PosixFilePermission>> CREATOR_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private AtomicFiles() {
    }

    /**
     * Replaces {@code target} with {@code content}. Attributes left {@code null} keep the current file's
     * values, or the defaults (mode 0644, the running user) for a new file. A symlink at {@code target} is
     * replaced, never written through; a temporary file a killed run left is replaced.
     */
    public static void write(Path target, byte[] content, FileAttributes desired) throws IOException {
        Path temporary = temporarySibling(target);
        try {
            write(target, temporary, content, desired);
        } catch (FileAlreadyExistsException e) {
            Files.delete(temporary);
            write(target, temporary, content, desired);
        }
    }

    /** As {@link #write(Path, byte[], FileAttributes)}, for a target that several threads may write at once. */
    public static void writeShared(Path target, byte[] content, FileAttributes desired) throws IOException {
        write(target, target.resolveSibling(temporarySibling(target).getFileName() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong())), content, desired);
    }

    private static void write(Path target, Path temporary, byte[] content, FileAttributes desired) throws IOException {
        PosixFileAttributes current = FileAttributes.readOrNull(target);
        FileAttributes attributes = desired;
        if (current != null && current.isRegularFile()) {
            attributes = desired.orElse(FileAttributes.of(current));
        } else if (desired.mode() == null) {
            attributes = new FileAttributes(DEFAULT_FILE_MODE, desired.owner(), desired.group());
        }
        // CREATE_NEW fails on anything already there, a symlink included: nothing is written through a link.
        try (FileChannel channel = FileChannel.open(temporary, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), CREATOR_ONLY)) {
            try {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(temporary);
                throw e;
            }
        }
        try {
            attributes.applyTo(temporary);
            rename(temporary, target);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
    }

    /** Atomically replaces {@code target} with a prepared {@code source} in the same directory, durably. */
    public static void rename(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot replace " + target + " atomically: " + e.getMessage(), e);
        }
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /**
     * The hidden name next to {@code target} where its new content is prepared. It is always the same, so that a
     * run finds what a killed run left there with one look instead of listing the directory.
     */
    public static Path temporarySibling(Path target) {
        return target.resolveSibling("." + target.getFileName() + TEMPORARY_MARK + "tmp");
    }

    /** Makes a rename durable: on Linux a directory is synced by forcing a read-only channel on it. */
    private static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}

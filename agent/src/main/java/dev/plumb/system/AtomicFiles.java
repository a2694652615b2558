package dev.plumb.system;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes that are never half done: the new content goes to a temporary file in the same directory, is
 * flushed to disk with its mode and owner already set, and is renamed over the target in one step.
 * A crash leaves either the old file or the new one, never a mix.
 */
public final class AtomicFiles {

    private static final String DEFAULT_FILE_MODE = "0644";

    private AtomicFiles() {
    }

    /**
     * Replaces {@code target} with {@code content}. Attributes left {@code null} keep the current file's
     * values, or the defaults (mode 0644, the running user) for a new file.
     */
    public static void write(Path target, byte[] content, FileAttributes desired) throws IOException {
        FileAttributes attributes = desired;
        if (Files.exists(target)) {
            attributes = desired.orElse(FileAttributes.read(target));
        } else if (desired.mode() == null) {
            attributes = new FileAttributes(DEFAULT_FILE_MODE, desired.owner(), desired.group());
        }
        Path temp = temporarySibling(target);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            attributes.applyTo(temp);
            rename(temp, target);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
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

    /** A fresh name next to {@code target}, hidden, that nothing else uses. */
    public static Path temporarySibling(Path target) {
        String name = "." + target.getFileName() + ".plumb-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        return target.resolveSibling(name);
    }

    /** Makes a rename durable: on Linux a directory is synced by forcing a read-only channel on it. */
    private static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}

package dev.plumb.system;

import java.io.IOException;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes that are never half done and never readable by anyone who could not read the result: the new content
 * goes to a temporary file in the same directory, created readable by its creator only, is flushed to disk, gets
 * its owner and then its final mode, and is renamed over the target in one step. A crash leaves either the old
 * file or the new one, never a mix.
 *
 * <p>Every step acts through a handle on the directory, opened from / without following an untrusted link
 * ({@link SafeDirectories}), so a parent swapped for a link to /root never receives the file. The temporary file is
 * {@code .NAME.plumb-tmp-PID-RANDOM}: created with O_EXCL under a name no one can guess, so nothing planted in advance
 * can block or redirect a write; the PID says whether the run that wrote it still runs (see {@link #strays}).
 */
public final class AtomicFiles {

    /** The mode of a new file when none is given. */
    public static final String DEFAULT_FILE_MODE = "0644";
    private static final String TEMPORARY_MARK = ".plumb-tmp-";
    private static final long PID = ProcessHandle.current().pid();
    /** Names are random: a collision, even with a name planted on purpose, is a retry, and ten in a row a failure. */
    private static final int ATTEMPTS = 10;
    private static final FileAttribute<Set<PosixFilePermission>> CREATOR_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<Set<PosixFilePermission>> ROOT_ONLY_DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final String PRIVATE_COPY_PREFIX = "plumb-validate-";
    private static final int BUFFER = 64 * 1024;

    private AtomicFiles() {
    }

    /**
     * Replaces {@code target} with {@code content}. Attributes left {@code null} keep the current file's
     * values, or the defaults (mode 0644, the running user) for a new file. A symlink at {@code target} is
     * replaced, never written through; an untrusted symlink above it fails the write.
     */
    public static void write(Path target, byte[] content, FileAttributes desired) throws IOException {
        write(target, content, desired, null, true);
    }

    /** New content produced as it is written, such as a download: it may throw to keep the target as it is. */
    @FunctionalInterface
    public interface Content {
        /** Writes the whole content to {@code out}, a private temporary file; throwing leaves the target untouched. */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Replaces {@code target} with what {@code content} writes, as {@link #write(Path, byte[], FileAttributes)} does:
     * streamed to the private temporary file, so content of any size goes live whole or not at all.
     */
    public static void write(Path target, Content content, FileAttributes desired) throws IOException {
        write(target, content, desired, null, true);
    }

    /** What must accept the new content before it replaces the target. */
    @FunctionalInterface
    public interface Acceptance {
        /**
         * Checks {@code copy}, a private copy of the new content with the target's name and final owner and mode, in a
         * directory only root may enter; throws to keep the target as it is. What the check does to the copy does not
         * matter: the copy is removed afterwards, and only the content given to {@code write} goes live.
         */
        void check(Path copy) throws IOException;
    }

    /**
     * Replaces {@code target} with {@code content} as {@link #write(Path, byte[], FileAttributes)} does, once
     * {@code acceptance} has accepted a private copy of it (see {@link Acceptance#check}).
     */
    public static void write(Path target, byte[] content, FileAttributes desired, Acceptance acceptance) throws IOException {
        write(target, content, desired, acceptance, true);
    }

    /**
     * As {@link #write}, all but the last step: the rename is not synced to disk. A power cut soon after may leave the
     * old file, or none, but never part of the new one, whose content is synced before the rename. For records that
     * nothing depends on, such as a run's report, this saves the second of two fsyncs on every run.
     */
    public static void writeWhole(Path target, byte[] content, FileAttributes desired) throws IOException {
        write(target, content, desired, null, false);
    }

    /** {@code acceptance} null when nothing must accept the content. */
    private static void write(Path target, byte[] content, FileAttributes desired, Acceptance acceptance,
                              boolean durable) throws IOException {
        write(target, out -> out.write(content), desired, acceptance, durable);
    }

    private static void write(Path target, Content content, FileAttributes desired, Acceptance acceptance,
                              boolean durable) throws IOException {
        try (SecureDirectoryStream<Path> parent = SafeDirectories.open(target.toAbsolutePath().getParent())) {
            write(parent, target.getFileName(), content, desired, acceptance, durable);
        } catch (FileSystemException e) {
            throw SafeDirectories.naming(e, target);
        }
    }

    private static void write(SecureDirectoryStream<Path> parent, Path name, Content content, FileAttributes desired,
                              Acceptance acceptance, boolean durable) throws IOException {
        PosixFileAttributes current = entryOrNull(parent, name);
        FileAttributes attributes = desired;
        if (current != null && current.isRegularFile()) {
            attributes = desired.orElse(FileAttributes.of(current));
        } else if (desired.mode() == null) {
            attributes = new FileAttributes(DEFAULT_FILE_MODE, desired.owner(), desired.group());
        }
        if (acceptance != null) {
            checkPrivateCopy(name, content, attributes, acceptance);
        }
        Path temporary = null;
        try {
            temporary = createTemporary(parent, name, content);
            attributes.applyTo(parent, temporary);
            rename(parent, temporary, name, durable);
        } catch (IOException | RuntimeException e) {
            if (temporary != null) {
                deleteIfExists(parent, temporary);
            }
            throw e;
        }
    }

    /** Creates a new private temporary file for {@code name}'s content (O_CREAT|O_EXCL|O_NOFOLLOW, 0600), flushed. */
    private static Path createTemporary(SecureDirectoryStream<Path> parent, Path name, Content content) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Path temporary = temporaryName(name);
            try {
                createPrivate(parent, temporary, content);
            } catch (FileAlreadyExistsException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                continue;
            }
            return temporary;
        }
    }

    /** Creates the new file {@code name} holding {@code content} (O_CREAT|O_EXCL|O_NOFOLLOW, 0600), flushed. */
    private static void createPrivate(SecureDirectoryStream<Path> parent, Path name, Content content) throws IOException {
        SeekableByteChannel channel = parent.newByteChannel(name, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), CREATOR_ONLY);
        try (channel) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER);
            content.writeTo(out);
            out.flush();
            force(channel);
        } catch (IOException | RuntimeException e) {
            deleteIfExists(parent, name);
            throw e;
        }
    }

    /**
     * Lets {@code acceptance} check a copy of {@code content} named {@code name}, with the final {@code attributes}, in
     * a new directory that only root may enter (0700). Checked beside the target, in a directory a user may own, the
     * file or a directory above it could be swapped for a link to /etc/shadow between its mode and the check, which
     * runs as root and shows its output; and a check that rewrote the file would put its own content live. The
     * directory goes, with whatever the check left in it, in every case.
     */
    private static void checkPrivateCopy(Path name, Content content, FileAttributes attributes, Acceptance acceptance)
            throws IOException {
        Path directory = Files.createTempDirectory(PRIVATE_COPY_PREFIX, ROOT_ONLY_DIRECTORY);
        try {
            try (SecureDirectoryStream<Path> copies = SafeDirectories.open(directory)) {
                createPrivate(copies, name, content);
                attributes.applyTo(copies, name);
            }
            acceptance.check(directory.resolve(name));
        } finally {
            removeTree(directory);
        }
    }

    /** Removes {@code directory}, which only root can write, with all it holds; links are removed, not followed. */
    public static void removeTree(Path directory) throws IOException {
        Files.walkFileTree(directory, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path visited, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(visited);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * A fresh name for a temporary sibling of {@code name}: {@code .NAME.plumb-tmp-PID-RANDOM}. Also for temporary
     * symlinks, which are renamed over their target the same way.
     */
    public static Path temporaryName(Path name) {
        return Path.of("." + name.getFileName() + TEMPORARY_MARK + PID + "-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
    }

    /**
     * The temporary files for {@code name} in an open directory that a killed run left: regular files or symlinks named
     * {@code .NAME.plumb-tmp-PID-RANDOM}, owned by root or the running user, whose PID names no running process, or one
     * that started after the file was last written (the PID was reused). A write still running, in this process or in
     * a concurrent apply that {@code check} looks at without the run lock, is never reported or removed; a file anyone
     * else owns, or a directory, is not plumb's and is left alone.
     */
    public static List<Path> strays(SecureDirectoryStream<Path> parent, Path name) throws IOException {
        String prefix = "." + name.getFileName() + TEMPORARY_MARK;
        List<Path> strays = new ArrayList<>();
        for (Path entry : TemporaryNames.of(parent, name.getFileName().toString(), TEMPORARY_MARK)) {
            String entryName = entry.getFileName().toString();
            Long pid = pidOf(entryName.substring(prefix.length()));
            PosixFileAttributes attributes = entryOrNull(parent, entry.getFileName());
            if (pid != null && attributes != null && (attributes.isRegularFile() || attributes.isSymbolicLink())
                    && SafeDirectories.rootOnly(attributes) && !writerRuns(pid, attributes.lastModifiedTime().toInstant())) {
                strays.add(entry.getFileName());
            }
        }
        strays.sort(null);
        return strays;
    }

    /** The PID in {@code PID-RANDOM}, or null when the rest of a name is not that: then plumb did not write it. */
    private static Long pidOf(String pidAndRandom) {
        int dash = pidAndRandom.indexOf('-');
        try {
            return dash > 0 ? Long.valueOf(pidAndRandom.substring(0, dash)) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean writerRuns(long pid, Instant written) {
        if (pid == PID) {
            return true;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        Optional<Instant> started = process.flatMap(handle -> handle.info().startInstant());
        return process.isPresent() && (started.isEmpty() || !started.get().isAfter(written));
    }

    private static PosixFileAttributes entryOrNull(SecureDirectoryStream<Path> parent, Path name) throws IOException {
        try {
            return SafeDirectories.entry(parent, name);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static void deleteIfExists(SecureDirectoryStream<Path> parent, Path name) throws IOException {
        try {
            parent.deleteFile(name);
        } catch (NoSuchFileException e) {
            // Already gone.
        }
    }

    /**
     * Renames the prepared {@code temporary} entry of an open directory over {@code name} in one step, and makes the
     * rename durable.
     */
    public static void rename(SecureDirectoryStream<Path> parent, Path temporary, Path name) throws IOException {
        rename(parent, temporary, name, true);
    }

    private static void rename(SecureDirectoryStream<Path> parent, Path temporary, Path name, boolean durable)
            throws IOException {
        parent.move(temporary, parent, name);
        if (durable) {
            syncDirectory(parent);
        }
        TemporaryNames.changedByPlumb(parent, null);
    }

    /** Removes {@code stray}, one of {@link #strays}, from the open directory {@code parent}. */
    public static void removeStray(SecureDirectoryStream<Path> parent, Path stray) throws IOException {
        parent.deleteFile(stray);
        TemporaryNames.changedByPlumb(parent, stray);
    }

    /**
     * Atomically replaces {@code target} with a prepared {@code source} on the same filesystem, durably; by path, for
     * directories only root can write, such as the backup store.
     */
    public static void rename(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot replace " + target + " atomically: " + e.getMessage(), e);
        }
        try (SecureDirectoryStream<Path> parent = SafeDirectories.open(target.toAbsolutePath().getParent())) {
            syncDirectory(parent);
        }
    }

    /** Makes a rename durable: on Linux a directory is synced by forcing a read-only channel on it. */
    private static void syncDirectory(SecureDirectoryStream<Path> directory) throws IOException {
        try (SeekableByteChannel channel = directory.newByteChannel(Path.of("."), Set.of(StandardOpenOption.READ))) {
            force(channel);
        }
    }

    /** fsync: the channels a directory handle opens are file channels, though typed as byte channels. */
    private static void force(SeekableByteChannel channel) throws IOException {
        ((FileChannel) channel).force(true);
    }
}

package dev.plumb.system;

import dev.plumb.api.Backup;
import dev.plumb.api.Backups;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Set;

/**
 * A content-addressed store of replaced content: {@code DIR/ab/abcdef...}. Saving the same content twice
 * stores it once. Restoring is a copy of the blob back to the path named in the run report. Replaced content
 * may be a secret: blobs are 0600 in directories that are 0700, both owned by the running user. Content is streamed
 * into a private temporary file while it is hashed, then renamed to its hash: a file of any size is backed up in a
 * buffer's worth of memory.
 */
public final class BackupStore implements Backups {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_DIRECTORY =
            PosixFilePermissions.asFileAttribute(OWNER_ONLY);
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final Path directory;

    public BackupStore(Path directory) {
        this.directory = directory;
    }

    /**
     * Saves the current content of {@code file}, read without following a symlink in its place or an untrusted one
     * above it, before it is replaced or removed.
     */
    @Override
    public Backup save(Path file) throws IOException {
        try (InputStream in = SafePaths.openWithoutFollowing(file)) {
            return save(file, in);
        }
    }

    /** Saves the content of the regular file {@code name} of an open directory, at {@code file}. */
    @Override
    public Backup save(Path file, SecureDirectoryStream<Path> parent, Path name) throws IOException {
        try (InputStream in = SafePaths.openWithoutFollowing(parent, name, file)) {
            return save(file, in);
        }
    }

    @Override
    public Backup save(Path file, byte[] content) throws IOException {
        return save(file, new ByteArrayInputStream(content));
    }

    private Backup save(Path file, InputStream content) throws IOException {
        createPrivateDirectory(directory);
        Path incoming = Files.createTempFile(directory, ".incoming-", "", PRIVATE_FILE);
        try {
            MessageDigest digest = Hashing.newDigest();
            try (FileChannel channel = FileChannel.open(incoming, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(channel)) {
                new DigestInputStream(content, digest).transferTo(out);
                channel.force(true);
            }
            String sha256 = Hashing.hex(digest);
            Path blob = blob(sha256);
            if (!Files.exists(blob)) {
                createPrivateDirectory(blob.getParent());
                AtomicFiles.rename(incoming, blob);
            }
            return new Backup(file.toString(), sha256);
        } finally {
            Files.deleteIfExists(incoming);
        }
    }

    public Path blob(String sha256) {
        return directory.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    /** Creates a directory 0700, or makes an existing one 0700: a store an older plumb created may be looser. */
    private static void createPrivateDirectory(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            if (!Files.getPosixFilePermissions(path).equals(OWNER_ONLY)) {
                Files.setPosixFilePermissions(path, OWNER_ONLY);
            }
        } else {
            Files.createDirectories(path, PRIVATE_DIRECTORY);
        }
    }
}

package dev.plumb.system;

import dev.plumb.api.Backup;
import dev.plumb.api.Backups;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A content-addressed store of replaced content: {@code DIR/ab/abcdef...}. Saving the same content twice
 * stores it once. Restoring is a copy of the blob back to the path named in the run report. Replaced content
 * may be a secret: blobs are 0600 in directories that are 0700, both owned by the running user.
 */
public final class BackupStore implements Backups {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_DIRECTORY =
            PosixFilePermissions.asFileAttribute(OWNER_ONLY);

    private final Path directory;

    public BackupStore(Path directory) {
        this.directory = directory;
    }

    @Override
    public Backup save(Path file) throws IOException {
        return save(file, SafePaths.readWithoutFollowing(file));
    }

    @Override
    public Backup save(Path file, byte[] content) throws IOException {
        String sha256 = Hashing.sha256(content);
        Path blob = blob(sha256);
        if (!Files.exists(blob)) {
            createPrivateDirectory(directory);
            createPrivateDirectory(blob.getParent());
            AtomicFiles.writeShared(blob, content, new FileAttributes("0600", null, null));
        }
        return new Backup(file.toString(), sha256);
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

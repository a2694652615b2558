package dev.plumb.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A content-addressed store of replaced content: {@code DIR/ab/abcdef...}. Saving the same content twice
 * stores it once. Restoring is a copy of the blob back to the path named in the run report.
 */
public final class BackupStore {

    private final Path directory;

    public BackupStore(Path directory) {
        this.directory = directory;
    }

    /** Saves the current content of {@code file} before it is replaced or removed. */
    public Backup save(Path file) throws IOException {
        byte[] content = Files.readAllBytes(file);
        String sha256 = Hashing.sha256(content);
        Path blob = blob(sha256);
        if (!Files.exists(blob)) {
            Files.createDirectories(blob.getParent());
            AtomicFiles.write(blob, content, new FileAttributes("0600", null, null));
        }
        return new Backup(file.toString(), sha256);
    }

    public Path blob(String sha256) {
        return directory.resolve(sha256.substring(0, 2)).resolve(sha256);
    }
}

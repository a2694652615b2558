package dev.plumb.system;

import dev.plumb.api.Backup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.SmallHeap;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupStoreTest {

    /** Eight times the heap of the JVM that backs it up: reading it whole would run out of memory. */
    private static final long LARGE = 8L * SmallHeap.HEAP_MB * 1024 * 1024;


    @TempDir
    Path dir;

    private List<Path> filesUnder(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void storesTheContentUnderItsSha256() throws IOException {
        Path store = dir.resolve("backups");
        Path file = dir.resolve("app.conf");
        Files.writeString(file, "old content\n");
        String sha256 = Hashing.sha256("old content\n".getBytes(StandardCharsets.UTF_8));

        Backup backup = new BackupStore(store).save(file);

        assertThat(backup).isEqualTo(new Backup(file.toString(), sha256));
        Path blob = store.resolve(sha256.substring(0, 2)).resolve(sha256);
        assertThat(new BackupStore(store).blob(sha256)).isEqualTo(blob);
        assertThat(Files.readString(blob)).isEqualTo("old content\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(blob))).isEqualTo("rw-------");
    }

    @Test
    void storesTheSameContentOnlyOnce() throws IOException {
        Path store = dir.resolve("backups");
        Path one = dir.resolve("one");
        Path two = dir.resolve("two");
        Files.writeString(one, "same");
        Files.writeString(two, "same");
        BackupStore backups = new BackupStore(store);
        Backup first = backups.save(one);
        Path blob = backups.blob(first.sha256());
        FileTime written = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(blob, written);

        Backup second = backups.save(two);
        Backup third = backups.save(one);

        assertThat(second.sha256()).isEqualTo(first.sha256());
        assertThat(second.path()).isEqualTo(two.toString());
        assertThat(third).isEqualTo(first);
        assertThat(filesUnder(store)).containsExactly(blob);
        assertThat(Files.getLastModifiedTime(blob)).isEqualTo(written);
    }

    @Test
    void differentContentGetsDifferentBlobs() throws IOException {
        Path store = dir.resolve("backups");
        Path file = dir.resolve("file");
        BackupStore backups = new BackupStore(store);
        Files.writeString(file, "first");
        Backup first = backups.save(file);
        Files.writeString(file, "second");
        Backup second = backups.save(file);

        assertThat(first.sha256()).isNotEqualTo(second.sha256());
        assertThat(filesUnder(store)).containsExactlyInAnyOrder(backups.blob(first.sha256()), backups.blob(second.sha256()));
        assertThat(Files.readString(backups.blob(first.sha256()))).isEqualTo("first");
        assertThat(Files.readString(backups.blob(second.sha256()))).isEqualTo("second");
    }

    @Test
    void theStoreAndItsDirectoriesAreReadableByTheirOwnerOnly() throws IOException {
        Path store = dir.resolve("state").resolve("backups");
        Path file = Files.writeString(dir.resolve("app.conf"), "secret\n");

        Backup backup = new BackupStore(store).save(file);

        Path blob = new BackupStore(store).blob(backup.sha256());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(blob.getParent()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(blob))).isEqualTo("rw-------");
    }

    @Test
    void aStoreAnOlderRunLeftOpenIsClosedOnTheNextBackup() throws IOException {
        Path store = Files.createDirectories(dir.resolve("backups"));
        Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rwxr-xr-x"));

        new BackupStore(store).save(Files.writeString(dir.resolve("app.conf"), "secret\n"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store))).isEqualTo("rwx------");
    }

    @Test
    void aSymlinkIsNeverBackedUpThroughIt() throws IOException {
        Path secret = Files.writeString(dir.resolve("shadow"), "root:$6$\n");
        Path link = Files.createSymbolicLink(dir.resolve("link"), secret);

        assertThatThrownBy(() -> new BackupStore(dir.resolve("backups")).save(link))
                .isInstanceOf(FileSystemException.class)
                .hasMessageContaining("is a symlink; plumb does not read through a link the catalog does not declare");
    }

    @Test
    void aFileEightTimesTheHeapIsHashedAndBackedUpStreaming() throws Exception {
        Path large = dir.resolve("large.img");
        try (RandomAccessFile file = new RandomAccessFile(large.toFile(), "rw")) {
            file.setLength(LARGE); // sparse: quick to make, read back as zeros
        }
        Path store = dir.resolve("backups");
        String output = SmallHeap.run(HashAndBackUp.class, large.toString(), store.toString());

        String sha256 = sha256OfZeros(LARGE);
        assertThat(output).as("hash and backup, in a small heap").isEqualTo(sha256 + " " + sha256 + "\n");
        Path blob = new BackupStore(store).blob(sha256);
        assertThat(Files.size(blob)).isEqualTo(LARGE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(blob))).isEqualTo("rw-------");
    }

    /** The expected hash, computed here without the code under test. */
    private static String sha256OfZeros(long length) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] zeros = new byte[1 << 20];
        for (long done = 0; done < length; done += zeros.length) {
            digest.update(zeros, 0, (int) Math.min(zeros.length, length - done));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Run in a JVM with a small heap: prints the file's hash and the hash its backup was stored under. */
    static final class HashAndBackUp {
        public static void main(String[] args) throws IOException {
            Path file = Path.of(args[0]);
            System.out.println(Hashing.sha256(file) + " " + new BackupStore(Path.of(args[1])).save(file).sha256());
        }
    }
}

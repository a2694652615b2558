package dev.plumb.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.plumb.Nobody;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user polling a directory while plumb writes secrets there never reads one, nor a backup of one. */
class SecretWritesTest {

    private static final int FILES = 2_000;

    @TempDir
    Path dir;

    @Test
    void aPollerRunningAsNobodyReadsNoneOfTwoThousandPrivateFilesWhileTheyAreWritten() throws Exception {
        assumeTrue(Nobody.available(), "the poller runs as nobody");
        Path secrets = Files.createDirectory(dir.resolve("secrets"));
        Nobody.canEnter(dir);
        Nobody.canEnter(secrets);
        Path stop = dir.resolve("stop");
        Path store = dir.resolve("backups");
        // Reads every entry, temporary ones included, and every backup, until told to stop; prints what it could read.
        Nobody.Attack poller = Nobody.start("while [ ! -e " + stop + " ]; do cat " + secrets + "/* " + secrets
                + "/.[!.]* " + store + "/* " + store + "/.[!.]* " + store + "/*/* 2>/dev/null; done");
        try {
            Path canary = secrets.resolve("canary");
            AtomicFiles.write(canary, "public-canary\n".getBytes(StandardCharsets.UTF_8), new FileAttributes("0644", null, null));
            awaitOutput(poller, "public-canary");
            BackupStore backups = new BackupStore(store);
            for (int i = 0; i < FILES; i++) {
                Path file = secrets.resolve("secret-" + i);
                AtomicFiles.write(file, ("secret-" + i + "\n").getBytes(StandardCharsets.UTF_8),
                        new FileAttributes("0600", null, null));
                backups.save(file);
            }
        } finally {
            Files.writeString(stop, "");
        }
        assertThat(poller.finish()).doesNotContain("secret-");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets.resolve("secret-0"))))
                .isEqualTo("rw-------");
    }

    /** Proves the poller can read what everyone may read, so that reading no secret means something. */
    private static void awaitOutput(Nobody.Attack poller, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!poller.output().contains(expected)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the poller running as nobody read nothing within 20 s: " + poller.output());
            }
            Thread.onSpinWait();
        }
    }
}

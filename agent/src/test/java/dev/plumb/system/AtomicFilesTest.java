package dev.plumb.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.KilledRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    private List<String> namesIn(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesTheContentWithTheRequestedMode() throws IOException {
        Path target = dir.resolve("app.conf");

        AtomicFiles.write(target, "key=value\n".getBytes(StandardCharsets.UTF_8), new FileAttributes("0640", null, null));

        assertThat(Files.readString(target)).isEqualTo("key=value\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r-----");
    }

    @Test
    void aNewFileWithoutAModeGetsTheDefault0644() throws IOException {
        Path target = dir.resolve("new");

        AtomicFiles.write(target, new byte[] {1, 2, 3}, new FileAttributes(null, null, null));

        assertThat(Files.readAllBytes(target)).containsExactly(1, 2, 3);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r--r--");
    }

    @Test
    void keepsAnExistingFilesModeWhenNoModeIsGiven() throws IOException {
        Path target = dir.resolve("secret");
        Files.writeString(target, "old");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));

        AtomicFiles.write(target, "new".getBytes(StandardCharsets.UTF_8), new FileAttributes(null, null, null));

        assertThat(Files.readString(target)).isEqualTo("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
    }

    @Test
    void aGivenModeReplacesTheExistingOne() throws IOException {
        Path target = dir.resolve("script");
        Files.writeString(target, "old");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));

        AtomicFiles.write(target, "new".getBytes(StandardCharsets.UTF_8), new FileAttributes("0755", null, null));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rwxr-xr-x");
    }

    @Test
    void leavesNoTemporaryFilesBehind() throws IOException {
        Path target = dir.resolve("app.conf");

        AtomicFiles.write(target, "one".getBytes(StandardCharsets.UTF_8), new FileAttributes("0644", null, null));
        AtomicFiles.write(target, "two".getBytes(StandardCharsets.UTF_8), new FileAttributes(null, null, null));

        assertThat(namesIn(dir)).containsExactly("app.conf");
        assertThat(Files.readString(target)).isEqualTo("two");
    }

    @Test
    void aFailedWriteLeavesTheTargetAsItWasAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("app.conf");
        Files.writeString(target, "old");

        assertThatThrownBy(() -> AtomicFiles.write(target, "new".getBytes(StandardCharsets.UTF_8),
                new FileAttributes(null, "plumb-no-such-user", null)))
                .isInstanceOf(IOException.class)
                .hasMessage("owner 'plumb-no-such-user' does not exist on this host");

        assertThat(Files.readString(target)).isEqualTo("old");
        assertThat(namesIn(dir)).containsExactly("app.conf");
    }

    @Test
    void aTemporaryFileAKilledRunLeftIsAStrayAndTheCurrentRunsOwnAreNot() throws Exception {
        Path target = dir.resolve("app.conf");
        Path killed = Files.writeString(KilledRun.temporaryNextTo(target), "stale");
        Path running = Files.writeString(target.resolveSibling(AtomicFiles.temporaryName(target)), "being written");
        Path planted = Files.createDirectory(KilledRun.temporaryNextTo(target.resolveSibling("other")));

        try (SecureDirectoryStream<Path> parent = SafeDirectories.open(dir)) {
            assertThat(AtomicFiles.strays(parent, target.getFileName())).containsExactly(killed.getFileName());
        }
        assertThat(running).exists();
        assertThat(planted).exists();
    }

    @Test
    void aTemporaryFileOfAConcurrentRunStillWritingIsNoStray() throws Exception {
        Path target = dir.resolve("app.conf");
        Process concurrentApply = new ProcessBuilder("cat").start(); // runs until its input closes
        try {
            Path writing = Files.writeString(dir.resolve(".app.conf.plumb-tmp-" + concurrentApply.pid() + "-00ff"), "half");

            try (SecureDirectoryStream<Path> parent = SafeDirectories.open(dir)) {
                assertThat(AtomicFiles.strays(parent, target.getFileName())).isEmpty();
            }
            assertThat(writing).exists();
        } finally {
            concurrentApply.destroy();
        }
    }

    @Test
    void aDirectoryPlantedAtEveryOldTemporaryNameBlocksNoWrite() throws Exception {
        Path target = dir.resolve("app.conf");
        Path planted = Files.createDirectories(dir.resolve(".app.conf.plumb-tmp").resolve("full"));

        AtomicFiles.write(target, "new".getBytes(StandardCharsets.UTF_8), new FileAttributes("0600", null, null));

        assertThat(Files.readString(target)).isEqualTo("new");
        assertThat(planted).isDirectory();
    }

    @Test
    void theTemporaryNameIsHiddenRandomAndNamesTheWritingProcess() {
        Path name = AtomicFiles.temporaryName(Path.of("app.conf"));

        assertThat(name.toString()).matches("\\.app\\.conf\\.plumb-tmp-" + ProcessHandle.current().pid() + "-[0-9a-f]{16}");
        assertThat(AtomicFiles.temporaryName(Path.of("app.conf"))).isNotEqualTo(name);
    }

    @Test
    void renameReplacesTheTarget() throws IOException {
        Path source = dir.resolve("source");
        Path target = dir.resolve("target");
        Files.writeString(source, "new");
        Files.writeString(target, "old");

        AtomicFiles.rename(source, target);

        assertThat(namesIn(dir)).containsExactly("target");
        assertThat(Files.readString(target)).isEqualTo("new");
    }
}

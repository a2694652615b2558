package dev.plumb.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.plumb.Fixtures;
import dev.plumb.Nobody;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.RunReport;
import dev.plumb.engine.Engine;
import dev.plumb.engine.HostLockException;
import dev.plumb.system.ProcessCommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLockTest {

    @TempDir
    Path dir;

    @Test
    void rootsRunsShareOneLockInRunWhateverTheirStateDirectory() throws Exception {
        assumeTrue(Nobody.available(), "runs as root");

        assertThat(RunLock.hostWideFile()).isEqualTo(Path.of("/run/plumb/apply.lock"));
    }

    @Test
    void aMissingLockDirectoryIsCreatedForItsOwnerOnly() throws Exception {
        Path lock = dir.resolve("plumb").resolve("apply.lock");

        try (RunLock held = RunLock.acquire(lock, Duration.ZERO)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lock.getParent()))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lock))).isEqualTo("rw-------");
        }
    }

    @Test
    void aLockDirectoryOfAnotherUserIsRefused() throws Exception {
        assumeTrue(Nobody.available(), "runs as root, with the user nobody");
        Path planted = Files.createDirectory(dir.resolve("plumb"));
        Nobody.owns(planted);

        assertThatThrownBy(() -> RunLock.acquire(planted.resolve("apply.lock"), Duration.ZERO))
                .isInstanceOf(HostLockException.class)
                .hasMessage("cannot take the run lock in " + planted + ": it is owned by uid 65534, not by this user (uid 0)"
                        + "; nothing was changed. Remove it, or set XDG_RUNTIME_DIR to a directory of yours");
        assertThat(planted.resolve("apply.lock")).doesNotExist();
    }

    @Test
    void anApplyWhileAnotherRunHoldsTheLockChangesNothingAndSaysWhoHoldsIt() throws Exception {
        Path lock = dir.resolve("plumb").resolve("apply.lock");
        Path file = dir.resolve("motd");

        try (RunLock other = RunLock.acquire(lock, Duration.ZERO);
             Engine engine = new Engine(Fixtures.context(new ProcessCommandRunner(), dir.resolve("backups")),
                     BuiltInTypes.REGISTRY, 2, Clock.systemUTC(), RunLock.at(lock, Duration.ZERO))) {
            RunReport report = engine.run(Fixtures.catalog(Fixtures.resource("file", file.toString(),
                    Fixtures.content("hello\n"))), Mode.APPLY);

            assertThat(report.error()).matches("another plumb run \\(pid " + ProcessHandle.current().pid()
                    + "\\) holds the lock since \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ; nothing was changed\\..*");
            assertThat(report.exitCode()).isEqualTo(4);
            assertThat(file).doesNotExist();
        }
    }
}

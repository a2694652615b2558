package dev.plumb.resources;

import static dev.plumb.Fixtures.instantiate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.plumb.Fixtures;
import dev.plumb.Nobody;
import dev.plumb.Root;
import dev.plumb.api.Action;
import dev.plumb.api.Backup;
import dev.plumb.api.Change;
import dev.plumb.api.CommandRunner;
import dev.plumb.api.Context;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.ResourceException;
import dev.plumb.system.BackupStore;
import dev.plumb.system.Hashing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryResourceTest {

    private static final CommandRunner NO_COMMANDS = command -> {
        throw new AssertionError("a directory resource ran " + command);
    };

    /** Entries of the directory a swap races a purge of: enough for the purge to take longer than the swap. */
    private static final int SWAPPED_ENTRIES = 2_000;

    @TempDir
    Path dir;

    private Path backups;
    private Path managed;

    @BeforeEach
    void setUp() {
        backups = dir.resolve("backups");
        managed = dir.resolve("etc").resolve("app");
    }

    private static DirectoryResource directory(Path path, Map<String, Object> attributes) {
        return instantiate("directory", path.toString(), attributes);
    }

    private Context context(Path... managedPaths) {
        return Fixtures.context(NO_COMMANDS, backups, Set.of(managedPaths));
    }

    private static String modeOf(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void createsTheDirectoryAndItsParentsWithTheMode() throws Exception {
        Change change = directory(managed, Map.of("mode", "0750")).converge(context(), true);

        assertThat(change.action()).isEqualTo(Action.CREATE);
        assertThat(change.entries()).containsExactly(
                new Change.Entry(Action.CREATE, "ensure", null, "directory", "create directory, mode 0750"));
        assertThat(managed).isDirectory();
        assertThat(modeOf(managed)).isEqualTo("rwxr-x---");
        assertThat(directory(managed, Map.of("mode", "0750")).converge(context(), true).isNeeded()).isFalse();
    }

    @Test
    void aPlanCreatesNothing() throws Exception {
        Change change = directory(managed, Map.of("mode", "0750")).converge(context(), false);

        assertThat(change.action()).isEqualTo(Action.CREATE);
        assertThat(managed.getParent()).doesNotExist();
    }

    @Test
    void modeDriftIsReportedAndFixed() throws Exception {
        Files.createDirectories(managed);
        Files.setPosixFilePermissions(managed, PosixFilePermissions.fromString("rwx------"));

        Change change = directory(managed, Map.of("mode", "0755")).converge(context(), true);

        assertThat(change.details()).containsExactly("mode changed '0700' to '0755'");
        assertThat(modeOf(managed)).isEqualTo("rwxr-xr-x");
    }

    @Test
    void aFileAtThePathFails() throws Exception {
        Files.createDirectories(managed.getParent());
        Files.writeString(managed, "not a directory");

        assertThatThrownBy(() -> directory(managed, Map.of()).converge(context(), true))
                .isInstanceOf(ResourceException.class)
                .hasMessage(managed + " exists but is not a directory; remove it or manage it as a file or symlink");
    }

    /** {@code managed} with a managed file, a directory holding a managed file, and unmanaged entries. */
    private void populate() throws IOException {
        Files.createDirectories(managed.resolve("conf.d"));
        Files.writeString(managed.resolve("app.conf"), "managed\n");
        Files.writeString(managed.resolve("conf.d").resolve("10-main.conf"), "managed\n");
        Files.writeString(managed.resolve("conf.d").resolve("99-stray.conf"), "stray in a kept directory\n");
        Files.writeString(managed.resolve("stray.txt"), "stray\n");
        Files.createDirectories(managed.resolve("junk").resolve("deeper"));
        Files.writeString(managed.resolve("junk").resolve("deeper").resolve("old.log"), "junk\n");
    }

    private Context purgeContext() {
        return context(managed, managed.resolve("app.conf"), managed.resolve("conf.d").resolve("10-main.conf"));
    }

    @Test
    void aPurgePlanListsUnmanagedEntriesWithoutDeletingThem() throws Exception {
        populate();

        Change change = directory(managed, Map.of("purge", true)).converge(purgeContext(), false);

        assertThat(change.action()).isEqualTo(Action.CHANGE);
        assertThat(change.details()).containsExactly(
                "purge unmanaged " + managed.resolve("junk"),
                "purge unmanaged " + managed.resolve("stray.txt"));
        assertThat(managed.resolve("junk").resolve("deeper").resolve("old.log")).exists();
        assertThat(managed.resolve("stray.txt")).exists();
        assertThat(backups).doesNotExist();
    }

    @Test
    void aPurgeDeletesUnmanagedEntriesAndKeepsManagedOnes() throws Exception {
        populate();

        Change change = directory(managed, Map.of("purge", true)).converge(purgeContext(), true);

        assertThat(managed.resolve("junk")).doesNotExist();
        assertThat(managed.resolve("stray.txt")).doesNotExist();
        assertThat(managed.resolve("app.conf")).exists();
        assertThat(managed.resolve("conf.d").resolve("10-main.conf")).exists();
        // Only the top level is purged: a directory that holds managed paths is kept whole.
        assertThat(managed.resolve("conf.d").resolve("99-stray.conf")).exists();
        String junkSha = Hashing.sha256("junk\n".getBytes(StandardCharsets.UTF_8));
        String straySha = Hashing.sha256("stray\n".getBytes(StandardCharsets.UTF_8));
        assertThat(change.backups()).containsExactlyInAnyOrder(
                new Backup(managed.resolve("junk").resolve("deeper").resolve("old.log").toString(), junkSha),
                new Backup(managed.resolve("stray.txt").toString(), straySha));
        assertThat(Files.readString(new BackupStore(backups).blob(junkSha))).isEqualTo("junk\n");
        assertThat(Files.readString(new BackupStore(backups).blob(straySha))).isEqualTo("stray\n");
        assertThat(directory(managed, Map.of("purge", true)).converge(purgeContext(), true).isNeeded()).isFalse();
    }

    @Test
    void aPurgeRemovesAnUnmanagedSymlinkWithoutFollowingIt() throws Exception {
        Files.createDirectories(managed);
        Path outside = dir.resolve("outside");
        Files.createDirectories(outside);
        Files.writeString(outside.resolve("precious"), "keep me\n");
        Files.createSymbolicLink(managed.resolve("link"), outside);

        Change change = directory(managed, Map.of("purge", true)).converge(context(managed), true);

        assertThat(change.details()).containsExactly("purge unmanaged " + managed.resolve("link"));
        assertThat(Files.exists(managed.resolve("link"), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.readString(outside.resolve("precious"))).isEqualTo("keep me\n");
    }

    @Test
    void withoutPurgeUnmanagedEntriesAreLeftAlone() throws Exception {
        populate();

        Change change = directory(managed, Map.of()).converge(purgeContext(), true);

        assertThat(change.isNeeded()).isFalse();
        assertThat(managed.resolve("stray.txt")).exists();
    }

    @Test
    void ensureAbsentRemovesTheTreeAndBacksUpItsFiles() throws Exception {
        populate();

        Change change = directory(managed, Map.of("ensure", "absent")).converge(context(), true);

        assertThat(change.action()).isEqualTo(Action.REMOVE);
        assertThat(change.details()).containsExactly("remove directory and everything inside");
        assertThat(managed).doesNotExist();
        assertThat(change.backups()).extracting(Backup::path).containsExactlyInAnyOrder(
                managed.resolve("app.conf").toString(),
                managed.resolve("conf.d").resolve("10-main.conf").toString(),
                managed.resolve("conf.d").resolve("99-stray.conf").toString(),
                managed.resolve("stray.txt").toString(),
                managed.resolve("junk").resolve("deeper").resolve("old.log").toString());
    }

    @Test
    void purgeOnAnAbsentDirectoryIsInvalid() {
        assertThat(directory(managed, Map.of("ensure", "absent", "purge", true)).validate())
                .extracting(p -> p.attribute()).containsExactly("purge");
    }

    @Test
    void ensureAbsentThroughASymlinkedParentIsRefusedBeforeAnythingIsRemoved() throws Exception {
        Path victim = Files.createDirectories(dir.resolve("victim"));
        Files.writeString(victim.resolve("data"), "precious");
        Path link = Files.createSymbolicLink(dir.resolve("sl"), victim);
        Files.createDirectory(victim.resolve("sub"));

        for (boolean apply : new boolean[] {false, true}) {
            assertThatThrownBy(() -> directory(link.resolve("sub"), Map.of("ensure", "absent")).converge(context(), apply))
                    .isInstanceOf(ResourceException.class)
                    .hasMessage("refusing to remove " + link.resolve("sub") + ": its parent " + link + " is a symlink (to '"
                            + victim + "') in a directory that a user other than root owns or can write, or below one; "
                            + "plumb follows only links that root owns in directories only root can write: write the "
                            + "path without the link");
        }
        assertThat(victim.resolve("sub")).isDirectory();
        assertThat(victim.resolve("data")).hasContent("precious");
    }

    @Test
    void aPurgeThroughASymlinkedParentIsRefused() throws Exception {
        Path victim = Files.createDirectories(dir.resolve("victim").resolve("inner"));
        Files.writeString(victim.resolve("data"), "precious");
        Path link = Files.createSymbolicLink(dir.resolve("sl"), dir.resolve("victim"));

        assertThatThrownBy(() -> directory(link.resolve("inner"), Map.of("purge", true)).converge(context(), true))
                .isInstanceOf(ResourceException.class)
                .hasMessageStartingWith("refusing to purge " + link.resolve("inner") + ": its parent " + link);
        assertThat(victim.resolve("data")).hasContent("precious");
    }

    @Test
    void aPurgeNeverEntersAFilesystemMountedBelow() throws Exception {
        Files.createDirectories(managed);
        Path mount = Files.createDirectory(managed.resolve("mnt"));
        try (Root.Scene mounted = Root.scene(List.of("umount", "-l", mount.toString()),
                "mount", "-t", "tmpfs", "tmpfs", mount.toString())) {
            assumeTrue(mounted != null, "mounting a tmpfs needs root");
            Files.writeString(mount.resolve("on-the-other-fs"), "keep");
            Files.writeString(managed.resolve("stray"), "stray");

            for (boolean apply : new boolean[] {false, true}) {
                assertThatThrownBy(() -> directory(managed, Map.of("purge", true)).converge(context(managed), apply))
                        .isInstanceOf(ResourceException.class)
                        .hasMessage("refusing to remove " + mount + ": " + mount + " is a mount point (another "
                                + "filesystem); plumb does not remove across filesystems: unmount it or remove it by hand");
            }
            assertThat(mount.resolve("on-the-other-fs")).hasContent("keep");
            assertThat(managed.resolve("stray")).exists();
        }
    }

    @Test
    void aRemovalThatFailsPartWayNamesWhatWasRemovedAndItsBackups() throws Exception {
        Files.createDirectories(managed);
        Files.writeString(managed.resolve("a"), "first");
        Path stuck = Files.writeString(managed.resolve("b"), "stuck");
        try (Root.Scene immutable = Root.scene(List.of("chattr", "-i", stuck.toString()), "chattr", "+i", stuck.toString())) {
            assumeTrue(immutable != null, "chattr +i needs root on a filesystem that supports it");
            String sha256 = Hashing.sha256("first".getBytes(StandardCharsets.UTF_8));
            ResourceException failure = catchThrowableOfType(ResourceException.class,
                    () -> directory(managed, Map.of("ensure", "absent")).converge(context(), true));
            assertThat(failure).hasMessage("cannot remove " + managed + ": operation not permitted: " + stuck
                    + "; removed before that: " + managed.resolve("a") + "; backups: " + managed.resolve("a") + " ("
                    + sha256 + ")");
            assertThat(failure.partial().action()).isEqualTo(Action.REMOVE);
            assertThat(failure.partial().details()).containsExactly("removed " + managed.resolve("a"));
            assertThat(failure.partial().backups()).containsExactly(new Backup(managed.resolve("a").toString(), sha256));
            assertThat(managed.resolve("a")).doesNotExist();
            assertThat(Files.readString(new BackupStore(backups).blob(Hashing.sha256("first".getBytes(StandardCharsets.UTF_8)))))
                    .isEqualTo("first");
        }
    }

    @Test
    void aPurgeWhoseDirectoryItsOwnerSwapsForALinkMidRunNeverRemovesAnythingOutside() throws Exception {
        assumeTrue(Nobody.available(), "the attack runs as nobody");
        Path victim = Files.createDirectory(dir.resolve("victim"));
        Path userDir = Files.createDirectory(dir.resolve("userdir"));
        Path data = Files.createDirectory(userDir.resolve("data"));
        for (int i = 0; i < SWAPPED_ENTRIES; i++) {
            String name = String.format("f%04d", i);
            Files.writeString(victim.resolve(name), "root's " + name);
            Files.writeString(data.resolve(name), "junk");
        }
        Nobody.canEnter(dir);
        Nobody.owns(userDir);
        Nobody.owns(data);
        // Once the purge has begun, the owner moves the directory away and puts a link to the victim in its place.
        Nobody.Attack swap = Nobody.start("cd " + userDir + " && while [ $(ls data | wc -l) -ge " + SWAPPED_ENTRIES
                + " ]; do :; done; mv -T data moved && ln -s " + victim + " data && echo swapped with $(ls moved | wc -l) left");

        Change change = directory(data, Map.of("purge", true)).converge(context(), true);

        assertThat(swap.finish()).as("the swap came while the purge ran").containsPattern("swapped with [1-9]\\d* left");
        assertThat(victim.toFile().list()).hasSize(SWAPPED_ENTRIES);
        assertThat(userDir.resolve("moved").toFile().list()).as("the purged directory, moved away").isEmpty();
        assertThat(change.backups()).hasSize(SWAPPED_ENTRIES);
    }

    @Test
    void aNewDirectoryIsNeverLooserThanItsModeEvenWhenItsOwnerCannotBeSet() throws Exception {
        assertThatThrownBy(() -> directory(managed, Map.of("mode", "0700", "owner", "plumb-no-such-user"))
                .converge(context(), true))
                .hasMessageContaining("owner 'plumb-no-such-user' does not exist on this host");

        assertThat(modeOf(managed)).isEqualTo("rwx------");
    }

    @Test
    void slashIsNeverPurgedOrRemovedEvenWithForce() {
        assertThat(directory(Path.of("/"), Map.of("purge", true, "force", true)).validate())
                .containsExactly(Diagnostic.ofAttribute("purge", "plumb never purges or removes /"));
        assertThat(directory(Path.of("/"), Map.of("ensure", "absent", "force", true)).validate())
                .containsExactly(Diagnostic.ofAttribute("ensure", "plumb never purges or removes /"));
    }

    @Test
    void aTopLevelSystemDirectoryIsPurgedOrRemovedOnlyWithForce() {
        assertThat(directory(Path.of("/etc"), Map.of("purge", true)).validate()).containsExactly(Diagnostic.ofAttribute(
                "purge", "/etc is a top-level system directory; plumb refuses to purge it unless the resource also sets "
                        + "force: true"));
        assertThat(directory(Path.of("/usr"), Map.of("ensure", "absent")).validate()).containsExactly(Diagnostic.ofAttribute(
                "ensure", "/usr is a top-level system directory; plumb refuses to remove it unless the resource also "
                        + "sets force: true"));
        assertThat(directory(Path.of("/srv"), Map.of("purge", true, "force", true)).validate()).isEmpty();
        assertThat(directory(Path.of("/etc"), Map.of("mode", "0755")).validate()).isEmpty();
    }

    @Test
    void twoSpellingsOfOnePathAreRefusedWithTheNormalForm() {
        assertThat(directory(Path.of("/tmp/pd/./keep"), Map.of()).validate()).containsExactly(Diagnostic.ofAttribute("path",
                "'/tmp/pd/./keep' holds a '.' component; write /tmp/pd/keep"));
    }
}

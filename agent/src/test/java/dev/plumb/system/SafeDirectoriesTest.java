package dev.plumb.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.plumb.Nobody;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which symlinks on the way to a directory plumb follows: those root owns in directories only root can write (merged
 * /usr), never one a user could plant. The trusted side needs a directory chain no one else can write, which /tmp is
 * not: these tests work below /root.
 */
class SafeDirectoriesTest {

    private Path rootOnly;

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(Nobody.available(), "a root-only directory chain and a user to plant links need root");
        rootOnly = Files.createTempDirectory(Path.of("/root"), "plumb-safe-directories-");
    }

    @AfterEach
    void tearDown() throws IOException {
        if (rootOnly != null) {
            try (Stream<Path> walk = Files.walk(rootOnly)) {
                for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    private static Object keyOf(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    }

    private static Object keyOfOpened(Path path) throws IOException {
        try (SecureDirectoryStream<Path> directory = SafeDirectories.open(path)) {
            return SafeDirectories.fileKey(directory);
        }
    }

    @Test
    void aMergedUsrLinkIsFollowed() throws IOException {
        assumeTrue(Files.isSymbolicLink(Path.of("/lib")), "this host has merged /usr");

        assertThat(keyOfOpened(Path.of("/lib"))).isEqualTo(keyOf(Path.of("/usr/lib")));
    }

    @Test
    void aRootOwnedLinkInARootOnlyDirectoryIsFollowedRelativeOrAbsolute() throws IOException {
        Path real = Files.createDirectories(rootOnly.resolve("real").resolve("inner"));
        Files.createSymbolicLink(rootOnly.resolve("relative"), Path.of("real/inner"));
        Files.createSymbolicLink(rootOnly.resolve("absolute"), real);

        assertThat(keyOfOpened(rootOnly.resolve("relative"))).isEqualTo(keyOf(real));
        assertThat(keyOfOpened(rootOnly.resolve("absolute"))).isEqualTo(keyOf(real));
    }

    @Test
    void aLinkInADirectoryNobodyCanWriteIsRefused() throws Exception {
        Files.createDirectory(rootOnly.resolve("real"));
        Path userDirectory = Files.createDirectory(rootOnly.resolve("home"));
        Nobody.owns(userDirectory);
        Path link = Files.createSymbolicLink(userDirectory.resolve("link"), rootOnly.resolve("real"));

        assertThatThrownBy(() -> SafeDirectories.open(link))
                .isInstanceOf(SafeDirectories.UntrustedLinkException.class)
                .hasMessage(link + " is a symlink (to '" + rootOnly.resolve("real") + "') in a directory that a user "
                        + "other than root owns or can write, or below one; plumb follows only links that root owns in "
                        + "directories only root can write: write the path without the link");
    }

    @Test
    void aLinkNobodyOwnsIsRefusedEvenInARootOnlyDirectory() throws Exception {
        Files.createDirectory(rootOnly.resolve("real"));
        Path link = Files.createSymbolicLink(rootOnly.resolve("link"), Path.of("real"));
        Files.getFileAttributeView(link, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setOwner(
                link.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));

        assertThatThrownBy(() -> SafeDirectories.open(link))
                .isInstanceOf(SafeDirectories.UntrustedLinkException.class)
                .hasMessageStartingWith(link + " is a symlink (to 'real') owned by nobody;");
    }

    @Test
    void aTrustedLinkWhoseTargetGoesThroughADirectoryNobodyOwnsIsRefused() throws Exception {
        Path userDirectory = Files.createDirectory(rootOnly.resolve("home"));
        Files.createDirectory(userDirectory.resolve("inner"));
        Nobody.owns(userDirectory);
        Path link = Files.createSymbolicLink(rootOnly.resolve("link"), Path.of("home/inner"));

        assertThatThrownBy(() -> SafeDirectories.open(link))
                .isInstanceOf(SafeDirectories.UntrustedLinkException.class)
                .hasMessageStartingWith(link + " is a symlink (to 'home/inner') whose target goes through " + userDirectory
                        + ", which nobody owns or others can write;");
    }

    @Test
    void aDirectoryNobodyOwnsIsEnteredWhenNoLinkIsOnTheWay() throws Exception {
        Path userDirectory = Files.createDirectory(rootOnly.resolve("home"));
        Nobody.owns(userDirectory);

        assertThat(keyOfOpened(userDirectory)).isEqualTo(keyOf(userDirectory));
    }
}

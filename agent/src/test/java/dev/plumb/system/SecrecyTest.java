package dev.plumb.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.Nobody;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecrecyTest {

    @TempDir
    Path dir;

    @BeforeEach
    void everyUserMayEnterTheTestDirectory() throws IOException {
        Nobody.canEnter(dir);
    }

    private static Path write(Path file, String content, String permissions) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    private static String hiddenBecause(Path file, boolean sensitive) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class);
        return Secrecy.hiddenBecause(file, attributes, Files.readAllBytes(file), sensitive);
    }

    @Test
    void aFileEveryUserCouldReadMayBeShown() throws IOException {
        assertThat(hiddenBecause(write(dir.resolve("app.conf"), "workers = 4\n", "rw-r--r--"), false)).isNull();
    }

    @Test
    void aFileOthersMayNotReadIsHidden() throws IOException {
        assertThat(hiddenBecause(write(dir.resolve("app.conf"), "workers = 4\n", "rw-r-----"), false))
                .isEqualTo("is not readable by every user");
    }

    @Test
    void aReadableFileInADirectoryOthersCannotEnterIsHidden() throws IOException {
        Path closed = Files.createDirectory(dir.resolve("closed"));
        Path inside = Files.createDirectory(closed.resolve("open"));
        Nobody.canEnter(inside);
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));

        assertThat(hiddenBecause(write(inside.resolve("app.conf"), "workers = 4\n", "rw-r--r--"), false))
                .isEqualTo("is not readable by every user");
    }

    @Test
    void theDirectoriesCountAsTheSymlinksLeadToThem() throws IOException {
        Path closed = Files.createDirectory(dir.resolve("closed"));
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        write(closed.resolve("app.conf"), "workers = 4\n", "rw-r--r--");
        Path link = Files.createSymbolicLink(dir.resolve("link"), closed);

        assertThat(hiddenBecause(link.resolve("app.conf"), false)).isEqualTo("is not readable by every user");
    }

    @Test
    void declaredSensitiveKeysByNameAndPrivateKeysByContentAreHidden() throws IOException {
        Path plain = write(dir.resolve("app.conf"), "workers = 4\n", "rw-r--r--");
        Path keyByName = write(dir.resolve("server.key"), "anything\n", "rw-r--r--");
        Path keyByContent = write(dir.resolve("server.pem"), "-----BEGIN RSA PRIVATE KEY-----\n", "rw-r--r--");

        assertThat(hiddenBecause(plain, true)).isEqualTo("is sensitive");
        assertThat(hiddenBecause(keyByName, false)).isEqualTo("is sensitive");
        assertThat(hiddenBecause(keyByContent, false)).isEqualTo("is sensitive");
        assertThat(Secrecy.mayShow(keyByName, Files.readAttributes(keyByName, PosixFileAttributes.class),
                "x".getBytes(StandardCharsets.UTF_8), false)).isFalse();
    }
}

package dev.plumb.checks;

import dev.plumb.api.Mismatch;
import dev.plumb.catalog.CheckReport;
import dev.plumb.catalog.CheckResult;
import static dev.plumb.checks.CheckFixtures.check;
import static dev.plumb.checks.CheckFixtures.problems;
import static dev.plumb.checks.CheckFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.Nobody;
import dev.plumb.catalog.Json;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.RunReport;
import dev.plumb.report.JUnitRenderer;
import dev.plumb.report.TapRenderer;
import dev.plumb.report.TextRenderer;
import dev.plumb.system.FileAttributes;
import dev.plumb.system.Hashing;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file check against real files. */
class FileCheckTest {

    @TempDir
    Path dir;

    @BeforeEach
    void everyUserMayEnterTheTestDirectory() throws IOException {
        // Evidence shows the content only of a file every user could read, through every directory above it.
        Nobody.canEnter(dir);
    }

    private Path write(String name, String content, String mode) throws IOException {
        Path file = Files.writeString(dir.resolve(name), content);
        Files.setPosixFilePermissions(file, FileAttributes.permissions(mode));
        return file;
    }

    @Test
    void existenceModeOwnerAndContentPass() throws IOException {
        Path conf = write("app.conf", "[server]\nport = 8080\nworkers = 4\n", "0640");
        String owner = Files.getOwner(conf).getName();
        assertThat(run(check("file", conf.toString(), "mode", "0640", "owner", owner, "contains", "workers = 4",
                "matches", "^port = \\d+$", "sha256", Hashing.sha256(conf))).passed()).isTrue();
        assertThat(run(check("file", dir.toString())).passed()).as("a directory exists too").isTrue();
        assertThat(run(check("file", dir.resolve("gone").toString(), "exists", false)).passed()).isTrue();
    }

    @Test
    void eachDifferenceIsListedWithTheFirstLines() throws IOException {
        Path conf = write("app.conf", "[server]\nport = 9999\n", "0666");
        CheckResult result = run(check("file", conf.toString(), "mode", "640", "contains", "port = 8080",
                "matches", "^workers", "sha256", "0".repeat(64)));
        assertThat(result.mismatches()).containsExactly(
                new Mismatch("mode", "0640", "0666"),
                new Mismatch("contains", "'port = 8080'", "content without it (21 bytes)"),
                new Mismatch("matches", "a match for '^workers'", "none in the content (21 bytes)"),
                new Mismatch("sha256", "0".repeat(64), Hashing.sha256(conf)));
        assertThat(result.evidence()).isEqualTo("first lines of " + conf + ":\n  [server]\n  port = 9999");
    }

    @Test
    void aMissingFileOrOneThatShouldNotBeThereFails() throws IOException {
        Path missing = dir.resolve("missing");
        assertThat(run(check("file", missing.toString(), "contains", "x")).mismatches())
                .containsExactly(new Mismatch("exists", "true", "nothing at " + missing));
        Path stray = write("stray", "x", "0644");
        assertThat(run(check("file", stray.toString(), "exists", false)).mismatches())
                .containsExactly(new Mismatch("exists", "false", "a file at " + stray));
        assertThat(run(check("file", dir.toString(), "contains", "x")).mismatches())
                .containsExactly(new Mismatch("contains", "a regular file to read", "a directory"));
    }

    @Test
    void sensitiveContentIsNeverShown() throws IOException {
        Path marked = write("token", "token = s3cr3t\n", "0600");
        CheckResult result = run(check("file", marked.toString(), "contains", "token = other", "sensitive", true));
        assertThat(result.evidence()).isEqualTo("(content not shown: " + marked + " is sensitive)");
        Path key = write("server.pem", "-----BEGIN PRIVATE KEY-----\nMIIE...\n-----END PRIVATE KEY-----\n", "0600");
        assertThat(run(check("file", key.toString(), "contains", "CERTIFICATE")).evidence()).doesNotContain("MIIE");
    }

    /** The result as every output format shows it: text, the JSON report, JUnit and TAP. */
    private static String everyOutputOf(CheckResult result) {
        RunReport report = new RunReport(RunReport.SCHEMA_VERSION, "run", "local", Mode.CHECK, "sha", null, "2026-11-29T00:00:00Z", 1,
                new RunReport.Summary(0, 0, 0, 0), List.of(), null, CheckReport.of(List.of(result), 1));
        return String.join("\n", new TextRenderer(false).render(report), Json.MAPPER.writeValueAsString(report),
                new JUnitRenderer().render(List.of(report)), new TapRenderer().render(List.of(report)));
    }

    @Test
    void aSensitiveFileShowsNoContentInAnyOutputFormat() throws IOException {
        Path marked = write("token", "token = s3cr3t\nother = s3cr3t-too\n", "0644");

        CheckResult result = run(check("file", marked.toString(), "contains", "token = other", "matches", "^x",
                "sha256", "0".repeat(64), "sensitive", true));

        assertThat(result.passed()).isFalse();
        assertThat(everyOutputOf(result)).contains("content not shown").doesNotContain("s3cr3t")
                .doesNotContain(Hashing.sha256(marked));
    }

    @Test
    void aWorldReadableFileInADirectoryOthersCannotEnterShowsNoContent() throws IOException {
        Path privateDir = Files.createDirectory(dir.resolve("private"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Path secret = Files.writeString(privateDir.resolve("app.conf"), "password = hunter2\n");
        Files.setPosixFilePermissions(secret, FileAttributes.permissions("0644"));

        CheckResult result = run(check("file", secret.toString(), "contains", "workers = 4"));

        assertThat(result.evidence()).isEqualTo("(content not shown: " + secret + " is not readable by every user)");
        assertThat(everyOutputOf(result)).doesNotContain("hunter2");
    }

    @Test
    void aWorldReadableKeyFileShowsNoContent() throws IOException {
        Path key = write("tls.key", "not a PEM, but a key by its name\n", "0644");

        CheckResult result = run(check("file", key.toString(), "contains", "workers = 4"));

        assertThat(result.evidence()).isEqualTo("(content not shown: " + key + " is sensitive)");
    }

    @Test
    void aFileNotEveryUserMayReadShowsNoContent() throws IOException {
        Path secret = write("app.conf", "password = hunter2\n", "0640");

        CheckResult result = run(check("file", secret.toString(), "contains", "workers = 4"));

        assertThat(result.mismatches()).containsExactly(new Mismatch("contains", "'workers = 4'", "content without it (19 bytes)"));
        assertThat(result.evidence()).isEqualTo("(content not shown: " + secret + " is not readable by every user)");
        assertThat(everyOutputOf(result)).doesNotContain("hunter2");
    }

    @Test
    void aPlantedSymlinkToShadowNeverPrintsShadowLines() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("app.conf"), Path.of("/etc/shadow"));

        CheckResult result = run(check("file", link.toString(), "contains", "workers = 4", "sha256", "0".repeat(64)));

        assertThat(result.passed()).isFalse();
        assertThat(result.evidence()).isEqualTo("(content not shown: " + link + " is sensitive)");
        assertThat(everyOutputOf(result)).doesNotContain("root:").doesNotContain(Hashing.sha256(Path.of("/etc/shadow")));
    }

    @Test
    void aFifoOrADeviceIsNeverReadAndFailsAtOnce() throws Exception {
        Path fifo = dir.resolve("fifo");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();

        for (Path special : List.of(fifo, Path.of("/dev/zero"))) {
            CheckResult result = run(check("file", special.toString(), "contains", "x", "timeout", "30s"));
            assertThat(result.mismatches()).as(special.toString())
                    .containsExactly(new Mismatch("contains", "a regular file to read", "not a regular file"));
            assertThat(result.millis()).isLessThan(5_000);
        }
    }

    @Test
    void aFileOverOneMebibyteIsNotSearchedButIsStillHashed() throws IOException {
        Path large = dir.resolve("large.log");
        try (RandomAccessFile file = new RandomAccessFile(large.toFile(), "rw")) {
            file.setLength(2L << 20);
        }

        assertThat(run(check("file", large.toString(), "contains", "x")).error())
                .isEqualTo(large + " is larger than 1 MiB; a file check with contains or matches reads files of up to 1 MiB");
        assertThat(run(check("file", large.toString(), "sha256", Hashing.sha256(large))).passed()).isTrue();
    }

    @Test
    void pathsModesHashesAndContradictionsAreValidated() {
        assertThat(problems("file", "etc/motd", "mode", "999", "sha256", "abc", "matches", "[a-")).containsExactly(
                "'etc/motd' is not an absolute path; write it from /",
                "mode: '999' is not a file mode; expected octal digits such as \"0644\" or \"0750\" (setuid, setgid and "
                        + "sticky bits are not supported)",
                "matches: '[a-' is not a valid regular expression: illegal character range at its end",
                "sha256: 'abc' is not a SHA-256; expected 64 hex digits, as sha256sum prints them");
        assertThat(problems("file", "/etc/motd", "exists", false, "contains", "x")).containsExactly(
                "exists: a path that must not exist has no mode, owner, group or content to check; leave those out");
    }
}

package dev.plumb.resources;

import static dev.plumb.Fixtures.instantiate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.plumb.Fixtures;
import dev.plumb.KilledRun;
import dev.plumb.Nobody;
import dev.plumb.api.Action;
import dev.plumb.api.Backup;
import dev.plumb.api.Change;
import dev.plumb.api.CommandRunner;
import dev.plumb.api.Context;
import dev.plumb.api.ResourceException;
import dev.plumb.system.BackupStore;
import dev.plumb.system.Hashing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineResourceTest {

    private static final CommandRunner NO_COMMANDS = command -> {
        throw new AssertionError("a line resource ran " + command);
    };

    @TempDir
    Path dir;

    private Path backups;
    private Path file;
    private Context context;

    @BeforeEach
    void setUp() throws IOException {
        // A diff shows the content only of a file every user could read, through every directory above it.
        Nobody.canEnter(dir);
        backups = dir.resolve("backups");
        file = dir.resolve("hosts");
        context = Fixtures.context(NO_COMMANDS, backups);
    }

    private LineResource line(String... keysAndValues) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("path", file.toString());
        for (int i = 0; i < keysAndValues.length; i += 2) {
            attributes.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return instantiate("line", "label", attributes);
    }

    @Test
    void appendsTheLineWhenItIsMissing() throws Exception {
        Files.writeString(file, "a\nb\n");

        Change change = line("text", "c").converge(context, true);

        assertThat(change.action()).isEqualTo(Action.CREATE);
        assertThat(change.details()).containsExactly("append line to " + file);
        assertThat(change.diff()).isEqualTo("--- " + file + "\n+++ " + file + "\n@@ -1,2 +1,3 @@\n a\n b\n+c\n");
        assertThat(Files.readString(file)).isEqualTo("a\nb\nc\n");
        String sha = Hashing.sha256("a\nb\n".getBytes(StandardCharsets.UTF_8));
        assertThat(change.backups()).containsExactly(new Backup(file.toString(), sha));
        assertThat(Files.readString(new BackupStore(backups).blob(sha))).isEqualTo("a\nb\n");
    }

    @Test
    void secondRunChangesNothing() throws Exception {
        Files.writeString(file, "a\nb\n");
        line("text", "c").converge(context, true);

        Change second = line("text", "c").converge(context, true);

        assertThat(second.isNeeded()).isFalse();
        assertThat(Files.readString(file)).isEqualTo("a\nb\nc\n");
    }

    @Test
    void aLineAlreadyPresentAnywhereIsLeftAlone() throws Exception {
        Files.writeString(file, "c\na\nb\n");

        assertThat(line("text", "c").converge(context, true).isNeeded()).isFalse();
        assertThat(Files.readString(file)).isEqualTo("c\na\nb\n");
    }

    @Test
    void appendingToAFileWithoutAFinalNewlineEndsTheLastLineFirst() throws Exception {
        Files.writeString(file, "a");

        line("text", "b").converge(context, true);

        assertThat(Files.readString(file)).isEqualTo("a\nb\n");
    }

    @Test
    void appendingToAnEmptyFileWritesJustTheLine() throws Exception {
        Files.writeString(file, "");

        line("text", "only").converge(context, true);

        assertThat(Files.readString(file)).isEqualTo("only\n");
    }

    @Test
    void aPlanDescribesTheEditWithoutMakingIt() throws Exception {
        Files.writeString(file, "a\n");

        Change change = line("text", "b").converge(context, false);

        assertThat(change.action()).isEqualTo(Action.CREATE);
        assertThat(change.diff()).contains("\n+b\n");
        assertThat(Files.readString(file)).isEqualTo("a\n");
        assertThat(backups).doesNotExist();
    }

    @Test
    void matchReplacesTheFirstMatchingLine() throws Exception {
        Files.writeString(file, "x=1\ny=2\nx=3\n");

        Change change = line("text", "x=9", "match", "^x=").converge(context, true);

        assertThat(change.action()).isEqualTo(Action.CHANGE);
        assertThat(change.details()).containsExactly("replace line 1 of " + file);
        assertThat(Files.readString(file)).isEqualTo("x=9\ny=2\nx=3\n");
        assertThat(line("text", "x=9", "match", "^x=").converge(context, true).isNeeded()).isFalse();
    }

    @Test
    void matchWithoutAMatchingLineAppends() throws Exception {
        Files.writeString(file, "y=2\n");

        Change change = line("text", "x=9", "match", "^x=").converge(context, true);

        assertThat(change.details()).containsExactly("append line to " + file);
        assertThat(Files.readString(file)).isEqualTo("y=2\nx=9\n");
    }

    @Test
    void ensureAbsentRemovesEveryMatchingLine() throws Exception {
        Files.writeString(file, "a\n#b\nc\n#d\n");

        Change change = line("ensure", "absent", "match", "^#").converge(context, true);

        assertThat(change.action()).isEqualTo(Action.REMOVE);
        assertThat(change.details()).containsExactly("remove 2 lines from " + file);
        assertThat(Files.readString(file)).isEqualTo("a\nc\n");
        assertThat(line("ensure", "absent", "match", "^#").converge(context, true).isNeeded()).isFalse();
    }

    @Test
    void ensureAbsentWithTextRemovesThatExactLine() throws Exception {
        Files.writeString(file, "keep\ndrop\nkeep drop\n");

        Change change = line("ensure", "absent", "text", "drop").converge(context, true);

        assertThat(change.details()).containsExactly("remove 1 line from " + file);
        assertThat(Files.readString(file)).isEqualTo("keep\nkeep drop\n");
    }

    @Test
    void removingTheOnlyLineLeavesAnEmptyFile() throws Exception {
        Files.writeString(file, "drop\n");

        line("ensure", "absent", "text", "drop").converge(context, true);

        assertThat(Files.readString(file)).isEmpty();
    }

    @Test
    void anEditKeepsTheFilesMode() throws Exception {
        Files.writeString(file, "a\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        line("text", "b").converge(context, true);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aMissingFileFailsWithAMessage() {
        assertThatThrownBy(() -> line("text", "c").converge(context, true))
                .isInstanceOf(ResourceException.class)
                .hasMessage(file + " does not exist or is not a regular file; a line is added only to an existing file "
                        + "(declare the file as a resource to create it)");
        assertThat(file).doesNotExist();
    }

    @Test
    void severalLineResourcesEditOneFile() throws Exception {
        Files.writeString(file, "127.0.0.1 localhost\n#10.0.0.9 old\n");
        LineResource db = line("text", "10.0.0.1 db");
        LineResource cache = line("text", "10.0.0.2 cache", "match", "^10\\.0\\.0\\.2 ");
        LineResource old = line("ensure", "absent", "match", "^#");

        db.converge(context, true);
        cache.converge(context, true);
        old.converge(context, true);

        assertThat(Files.readString(file)).isEqualTo("127.0.0.1 localhost\n10.0.0.1 db\n10.0.0.2 cache\n");
        assertThat(db.converge(context, true).isNeeded()).isFalse();
        assertThat(cache.converge(context, true).isNeeded()).isFalse();
        assertThat(old.converge(context, true).isNeeded()).isFalse();
    }

    @Test
    void validationNamesEveryBrokenAttribute() {
        LineResource broken = instantiate("line", "label", Map.of("path", "relative", "match", "(", "ensure", "maybe"));

        assertThat(broken.validate()).extracting(p -> p.attribute())
                .containsExactlyInAnyOrder("path", "ensure", "text", "match");
    }

    @Test
    void aTextWithANewlineIsInvalid() {
        assertThat(line("text", "a\nb").validate()).extracting(p -> p.summary())
                .containsExactly("holds a newline; one line resource manages one line");
    }

    @Test
    void aFileSwappedForASymlinkByItsOwnerIsRefusedAndNothingIsWrittenThroughIt() throws Exception {
        assumeTrue(Nobody.available(), "the attack runs as nobody");
        Path secret = Files.writeString(dir.resolve("secret"), "root-only\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Path userDir = Files.createDirectory(dir.resolve("userdir"));
        Nobody.canEnter(dir);
        Nobody.owns(userDir);
        file = userDir.resolve("app.conf");
        Nobody.run("echo a=1 > " + file + " && ln -sfn " + secret + " " + file);

        assertThatThrownBy(() -> line("text", "c=3").converge(context, true))
                .isInstanceOf(ResourceException.class)
                .hasMessage(file + " is a symlink (to '" + secret + "'); a line edits a regular file and never writes "
                        + "through a link: give the path of the file itself");
        assertThat(Files.isSymbolicLink(file)).isTrue();
        assertThat(Files.readString(secret)).isEqualTo("root-only\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
    }

    @Test
    void aSymlinkSwapLoopDuringApplyNeverExposesOrChangesTheTarget() throws Exception {
        assumeTrue(Nobody.available(), "the attack runs as nobody");
        Path secret = Files.writeString(dir.resolve("secret"), "root-only\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Path userDir = Files.createDirectory(dir.resolve("userdir"));
        Nobody.canEnter(dir);
        Nobody.owns(userDir);
        file = userDir.resolve("app.conf");
        Path stop = userDir.resolve("stop");
        Nobody.Attack swapping = Nobody.start("cd " + userDir + " && while [ ! -e stop ]; do "
                + "echo a=1 > r.tmp; mv -fT r.tmp app.conf; grep -h root-only app.conf 2>/dev/null; "
                + "ln -sfn " + secret + " l.tmp; mv -fT l.tmp app.conf; done");
        int refused = 0;
        try {
            awaitPath(file);
            LineResource resource = line("text", "c=3");
            // At least 300 applies, and on until one met the symlink (the swapper may be slow to get going on a
            // loaded machine), within a minute.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (int i = 0; i < 300 || refused == 0 && System.nanoTime() < deadline; i++) {
                try {
                    resource.converge(context, true);
                } catch (ResourceException | IOException e) {
                    refused++;
                }
            }
        } finally {
            Files.writeString(stop, "");
        }
        assertThat(swapping.finish()).doesNotContain("root-only");
        assertThat(refused).as("applies that met the symlink").isPositive();
        assertThat(Files.readString(secret)).isEqualTo("root-only\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            assertThat(Files.readString(file)).doesNotContain("root-only");
        }
    }

    @Test
    void aLineBelowALinkItsUserPlantedForAParentIsRefused() throws Exception {
        assumeTrue(Nobody.available(), "the attack runs as nobody");
        Path rootOnly = Files.createDirectory(dir.resolve("root-only"));
        Path secret = Files.writeString(rootOnly.resolve("app.conf"), "password=hunter2\n");
        Path userDir = Files.createDirectory(dir.resolve("userdir"));
        Nobody.canEnter(dir);
        Nobody.owns(userDir);
        Nobody.run("ln -s " + rootOnly + " " + userDir.resolve("conf"));
        file = userDir.resolve("conf").resolve("app.conf");

        assertThatThrownBy(() -> line("text", "c=3").converge(context, false))
                .isInstanceOf(ResourceException.class)
                .hasMessageStartingWith("refusing to edit " + file + ": its parent " + userDir.resolve("conf")
                        + " is a symlink (to '" + rootOnly + "')");
        assertThat(secret).hasContent("password=hunter2\n");
    }

    private static void awaitPath(Path path) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(path + " did not appear within 20 s");
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void anEditOfAFileNotEveryoneMayReadShowsOnlyTheManagedLine() throws Exception {
        Files.writeString(file, "user=app\npassword=hunter2\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        Change change = line("text", "port=5432").converge(context, false);

        assertThat(change.diff()).isEqualTo("(" + file + " may hold secrets; only the managed line is shown)\n"
                + "+port=5432\n");
    }

    @Test
    void anEditOfAWorldReadableKeyFileShowsOnlyTheManagedLine() throws Exception {
        file = dir.resolve("server.key");
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADAN\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        Change change = line("text", "# managed").converge(context, false);

        assertThat(change.diff()).isEqualTo("(" + file + " may hold secrets; only the managed line is shown)\n"
                + "+# managed\n");
    }

    @Test
    void anEditOfAWorldReadableFileInADirectoryOthersCannotEnterShowsOnlyTheManagedLine() throws Exception {
        Path privateDir = Files.createDirectory(dir.resolve("private"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        file = privateDir.resolve("app.conf");
        Files.writeString(file, "password=hunter2\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        Change change = line("text", "port=5432").converge(context, false);

        assertThat(change.diff()).doesNotContain("hunter2").endsWith("+port=5432\n");
    }

    @Test
    void aReplacedLineOfAFileNotEveryoneMayReadIsMaskedInTheChange() throws Exception {
        Files.writeString(file, "password=hunter2\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        Change change = line("text", "password=s3cret", "match", "^password=").converge(context, false);

        assertThat(change.entries()).containsExactly(new Change.Entry(Action.CHANGE, "line", Change.SENSITIVE,
                "password=s3cret", "replace line 1 of " + file));
    }

    @Test
    void removedLinesOfAFileNotEveryoneMayReadAreCountedNotShown() throws Exception {
        Files.writeString(file, "password=hunter2\nport=1\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

        Change change = line("ensure", "absent", "match", "^password=").converge(context, false);

        assertThat(change.details()).containsExactly("remove 1 line from " + file);
        assertThat(change.diff()).isEqualTo("(" + file + " may hold secrets; only the managed line is shown)\n");
    }

    @Test
    void aStrayTempFileFromAKilledRunIsDriftAndIsRemoved() throws Exception {
        Files.writeString(file, "c\n");
        Path stray = KilledRun.temporaryNextTo(file);
        Files.writeString(stray, "half");

        assertThat(line("text", "c").converge(context, false).details())
                .containsExactly("remove stray temp file " + stray);
        line("text", "c").converge(context, true);

        assertThat(stray).doesNotExist();
    }

    @Test
    void aLineWithoutAPathSaysThePathIsRequired() {
        LineResource broken = instantiate("line", "label", Map.of("text", "x"));

        assertThat(broken.validate()).extracting(p -> p.attribute() + " " + p.summary()).containsExactly("path is required");
    }
}

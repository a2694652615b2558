package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plumb demo}, as the README's first command runs it: a real server on H2 serving the quickstart from a git
 * repository, this machine's real agent converging a directory of the test's.
 */
class DemoCommandTest {

    @TempDir
    Path temp;

    @Test
    void theAgentConvergesThisMachineToTheServedProjectAndTheServerKeepsItsRuns() throws Exception {
        Path root = temp.resolve("site");
        Path state = temp.resolve("demo");

        InProcess first = InProcess.plumb(List.of("demo", "--state-dir", state.toString(), "--root", root.toString()));
        assertThat(first.exit()).as(first.all()).isEqualTo(2);
        assertThat(first.out()).contains(" server: plumb server listening on https://127.0.0.1:")
                .contains("plumb-agent: local: applied commit ").contains(": 18 resources, 17 changed, 0 failed")
                .containsPattern("\nHOST +STATUS +COMMIT +LAST REPORT\nlocal +changed +[0-9a-f]{12} +\\S+Z\n")
                .contains("Everything the agent manages is under " + root + " (rm -rf " + root + " undoes it).");
        assertThat(Files.readString(root.resolve("www/index.html"))).contains("<h1>Hello from dev</h1>");
        assertThat(Files.readString(root.resolve("etc/hosts"))).isEqualTo("127.0.0.1 app.internal\n");

        // The same state directory: the same commit is served again, and the agent finds nothing to change.
        InProcess second = InProcess.plumb(List.of("demo", "--state-dir", state.toString(), "--root", root.toString()));
        assertThat(second.exit()).as(second.all()).isZero();
        assertThat(commit(second.out())).isEqualTo(commit(first.out()));
        assertThat(second.out()).contains(": 18 resources, 0 changed, 0 failed")
                .containsPattern("\nlocal +in_sync +" + commit(first.out()) + " ");
    }

    @Test
    void withoutAStateDirectoryTheDemoLeavesNothingButItsRoot() throws Exception {
        Path root = temp.resolve("site");
        InProcess demo = InProcess.plumb(List.of("demo", "--root", root.toString()));
        assertThat(demo.exit()).as(demo.all()).isEqualTo(2);
        Matcher repository = Pattern.compile("committed to (\\S+)/repo ").matcher(demo.out());
        assertThat(repository.find()).as(demo.out()).isTrue();
        assertThat(Path.of(repository.group(1))).doesNotExist();
        assertThat(root.resolve("www/index.html")).isRegularFile();
    }

    @Test
    void aRootThatIsNotADirectoryOfItsOwnIsRefusedBeforeAnythingRuns() {
        Path state = temp.resolve("demo");
        assertThat(InProcess.plumb(List.of("demo", "--root", "site", "--state-dir", state.toString())))
                .isEqualTo(new InProcess(1, "", "plumb: --root 'site' is not an absolute path; write it from /\n"));
        assertThat(InProcess.plumb(List.of("demo", "--root", "/", "--state-dir", state.toString())).err())
                .isEqualTo("plumb: --root '/' is the whole filesystem; give a directory of the demo's own\n");
        assertThat(InProcess.plumb(List.of("demo", "--root", temp + "/a/../b", "--state-dir", state.toString())).err())
                .isEqualTo("plumb: --root '" + temp + "/a/../b' holds a '..' component; write " + temp + "/b\n");
        assertThat(state).doesNotExist();
    }

    @Test
    void aStateDirectoryOfSomethingElseIsRefusedAndLeftAsItIs() throws Exception {
        Path other = Files.createDirectory(temp.resolve("other"));
        Files.writeString(other.resolve("notes.txt"), "not the demo's\n");
        Files.setPosixFilePermissions(other, PosixFilePermissions.fromString("rwxr-xr-x"));
        InProcess demo = InProcess.plumb(List.of("demo", "--state-dir", other.toString(), "--root", temp.resolve("site").toString()));
        assertThat(demo.exit()).isEqualTo(1);
        assertThat(demo.err()).isEqualTo("plumb: --state-dir " + other + " holds files of something else than plumb demo; "
                + "name a new or empty directory, or one an earlier demo kept\n");

        Path shared = Files.createDirectory(temp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(InProcess.plumb(List.of("demo", "--state-dir", shared.toString(), "--root", temp.resolve("site").toString()))
                .err()).startsWith("plumb: --state-dir " + shared + " is another user's or can be written by others");

        assertThat(Files.getPosixFilePermissions(other)).isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(Files.getPosixFilePermissions(shared)).isEqualTo(PosixFilePermissions.fromString("rwxrwxrwx"));
        try (var entries = Files.list(other)) {
            assertThat(entries).containsExactly(other.resolve("notes.txt"));
        }
        assertThat(temp.resolve("site")).doesNotExist();
    }

    @Test
    void anEmptyStateDirectoryOfAnotherUserIsRefused() throws Exception {
        Path theirs = Files.createDirectory(temp.resolve("theirs"));
        try {
            Files.setOwner(theirs, theirs.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        } catch (FileSystemException e) {
            assertThat(System.getenv("PLUMB_TESTS_REQUIRE_ROOT")).as("only root can give nobody a directory").isNull();
            Assumptions.abort("only root can give nobody a directory");
        }
        InProcess demo = InProcess.plumb(List.of("demo", "--state-dir", theirs.toString(), "--root", temp.resolve("site").toString()));
        assertThat(demo.exit()).isEqualTo(1);
        assertThat(demo.err()).startsWith("plumb: --state-dir " + theirs + " is another user's");
        try (var entries = Files.list(theirs)) {
            assertThat(entries).isEmpty();
        }
    }

    /** The commit the demo says it served. */
    private static String commit(String out) {
        Matcher commit = Pattern.compile("\\(commit ([0-9a-f]{12})\\)").matcher(out);
        assertThat(commit.find()).as(out).isTrue();
        return commit.group(1);
    }
}

package dev.plumb.resources;

import static dev.plumb.Fixtures.instantiate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.Fixtures;
import dev.plumb.api.Action;
import dev.plumb.api.Backup;
import dev.plumb.api.Change;
import dev.plumb.api.CommandRunner;
import dev.plumb.api.Context;
import dev.plumb.api.ResourceException;
import dev.plumb.KilledRun;
import dev.plumb.system.BackupStore;
import dev.plumb.system.Hashing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SymlinkResourceTest {

    private static final CommandRunner NO_COMMANDS = command -> {
        throw new AssertionError("a symlink resource ran " + command);
    };

    @TempDir
    Path dir;

    private Path backups;
    private Path links;
    private Context context;

    @BeforeEach
    void setUp() throws IOException {
        backups = dir.resolve("backups");
        links = Files.createDirectory(dir.resolve("links"));
        context = Fixtures.context(NO_COMMANDS, backups);
    }

    private static SymlinkResource symlink(Path path, String target) {
        return instantiate("symlink", path.toString(), Map.of("target", target));
    }

    private List<String> namesIn(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void createsTheLinkWithTheTargetAsWritten() throws Exception {
        Path link = links.resolve("current");

        Change change = symlink(link, "a").converge(context, true);

        assertThat(change.action()).isEqualTo(Action.CREATE);
        assertThat(change.entries()).containsExactly(new Change.Entry(Action.CREATE, "ensure", null, "symlink", "create symlink to 'a'"));
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("a"));
        assertThat(namesIn(links)).containsExactly("current");
        assertThat(symlink(link, "a").converge(context, true).isNeeded()).isFalse();
    }

    @Test
    void aPlanCreatesNoLink() throws Exception {
        Path link = links.resolve("current");

        Change change = symlink(link, "a").converge(context, false);

        assertThat(change.action()).isEqualTo(Action.CREATE);
        assertThat(namesIn(links)).isEmpty();
    }

    @Test
    void retargetsALinkThatPointsElsewhere() throws Exception {
        Path link = links.resolve("current");
        Files.createSymbolicLink(link, Path.of("a"));

        Change change = symlink(link, "b").converge(context, true);

        assertThat(change.action()).isEqualTo(Action.CHANGE);
        assertThat(change.details()).containsExactly("target changed 'a' to 'b'");
        assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("b"));
        assertThat(change.backups()).isEmpty();
        assertThat(namesIn(links)).containsExactly("current");
    }

    @Test
    void retargetsALinkToADirectoryWithoutTouchingTheDirectory() throws Exception {
        Path release = Files.createDirectory(dir.resolve("release-1"));
        Files.writeString(release.resolve("app"), "v1");
        Path link = links.resolve("current");
        Files.createSymbolicLink(link, release);

        symlink(link, dir.resolve("release-2").toString()).converge(context, true);

        assertThat(Files.readSymbolicLink(link)).isEqualTo(dir.resolve("release-2"));
        assertThat(Files.readString(release.resolve("app"))).isEqualTo("v1");
    }

    @Test
    void replacesARegularFileAndBacksItUp() throws Exception {
        Path link = links.resolve("config");
        Files.writeString(link, "local edits\n");

        Change change = symlink(link, "/etc/shared/config").converge(context, true);

        assertThat(change.action()).isEqualTo(Action.CHANGE);
        assertThat(change.details()).containsExactly("replace file with symlink to '/etc/shared/config'");
        assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("/etc/shared/config"));
        String sha = Hashing.sha256("local edits\n".getBytes(StandardCharsets.UTF_8));
        assertThat(change.backups()).containsExactly(new Backup(link.toString(), sha));
        assertThat(Files.readString(new BackupStore(backups).blob(sha))).isEqualTo("local edits\n");
    }

    @Test
    void aPlanLeavesTheRegularFileInPlace() throws Exception {
        Path link = links.resolve("config");
        Files.writeString(link, "local edits\n");

        symlink(link, "/etc/shared/config").converge(context, false);

        assertThat(Files.isSymbolicLink(link)).isFalse();
        assertThat(Files.readString(link)).isEqualTo("local edits\n");
        assertThat(backups).doesNotExist();
    }

    @Test
    void refusesToReplaceADirectory() throws Exception {
        Path link = Files.createDirectory(links.resolve("data"));
        Files.writeString(link.resolve("keep"), "x");

        assertThatThrownBy(() -> symlink(link, "elsewhere").converge(context, true))
                .isInstanceOf(ResourceException.class)
                .hasMessage(link + " is a directory; plumb does not replace a directory with a symlink");
        assertThat(link).isDirectory();
        assertThat(link.resolve("keep")).exists();
    }

    @Test
    void ensureAbsentRemovesTheLinkButNotItsTarget() throws Exception {
        Path target = Files.writeString(dir.resolve("target"), "x");
        Path link = links.resolve("current");
        Files.createSymbolicLink(link, target);

        Change change = instantiate("symlink", link.toString(), Map.of("ensure", "absent")).converge(context, true);

        assertThat(change.action()).isEqualTo(Action.REMOVE);
        assertThat(change.details()).containsExactly("remove symlink to '" + target + "'");
        assertThat(namesIn(links)).isEmpty();
        assertThat(target).exists();
    }

    @Test
    void ensureAbsentLeavesARegularFileAlone() throws Exception {
        Path file = Files.writeString(links.resolve("file"), "x");

        assertThatThrownBy(() -> instantiate("symlink", file.toString(), Map.of("ensure", "absent")).converge(context, true))
                .isInstanceOf(ResourceException.class)
                .hasMessage(file + " is not a symlink; plumb leaves it alone");
        assertThat(file).exists();
    }

    @Test
    void aMissingParentDirectoryFails() {
        Path link = dir.resolve("missing").resolve("current");

        assertThatThrownBy(() -> symlink(link, "a").converge(context, true))
                .isInstanceOf(ResourceException.class)
                .hasMessageStartingWith("parent directory " + link.getParent() + " does not exist");
    }

    @Test
    void aMissingParentDirectoryFailsInAPlanToo() {
        Path link = dir.resolve("missing").resolve("current");

        assertThatThrownBy(() -> symlink(link, "a").converge(context, false))
                .isInstanceOf(ResourceException.class)
                .hasMessageStartingWith("parent directory " + link.getParent() + " does not exist");
    }

    @Test
    void replacingAFileThroughASymlinkedParentIsRefused() throws Exception {
        Path real = Files.createDirectory(dir.resolve("real"));
        Files.writeString(real.resolve("current"), "precious");
        Path parentLink = Files.createSymbolicLink(dir.resolve("sl"), real);

        assertThatThrownBy(() -> symlink(parentLink.resolve("current"), "a").converge(context, true))
                .isInstanceOf(ResourceException.class)
                .hasMessageStartingWith("refusing to write " + parentLink.resolve("current") + ": its parent "
                        + parentLink + " is a symlink");
        assertThat(real.resolve("current")).hasContent("precious");
    }

    @Test
    void aStrayTemporaryLinkFromAKilledRunIsDriftAndIsReplaced() throws Exception {
        Path link = links.resolve("current");
        SymlinkResource resource = symlink(link, "releases/1");
        resource.converge(context, true);
        Path stray = Files.createSymbolicLink(KilledRun.temporaryNextTo(link), Path.of("elsewhere"));

        assertThat(resource.converge(context, false).details()).containsExactly("remove stray temp file " + stray);
        resource.converge(context, true);

        assertThat(namesIn(links)).containsExactly("current");
        assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("releases/1"));
    }

    @Test
    void aTargetWithAControlCharacterIsInvalid() {
        assertThat(symlink(links.resolve("l"), "a\nb").validate()).extracting(p -> p.attribute() + ": " + p.summary())
                .containsExactly("target: 'a^Jb' holds a control character; NUL, newline and other control characters "
                        + "are refused");
    }
}

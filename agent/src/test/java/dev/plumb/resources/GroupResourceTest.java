package dev.plumb.resources;

import static dev.plumb.Fixtures.instantiate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.Fixtures;
import dev.plumb.RecordingRunner;
import dev.plumb.api.Action;
import dev.plumb.api.Change;
import dev.plumb.api.Context;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.ResourceException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The group resource through the command seam: the exact argv it runs, and that a plan only queries getent. */
class GroupResourceTest {

    @TempDir
    Path dir;

    private RecordingRunner runner;
    private Context context;

    @BeforeEach
    void setUp() {
        runner = new RecordingRunner();
        context = Fixtures.context(runner, dir.resolve("backups"));
    }

    private static GroupResource group(Map<String, Object> attributes) {
        return instantiate("group", "plumbtest-g", attributes);
    }

    private void existing() {
        runner.answer("getent group plumbtest-g", 0, "plumbtest-g:x:2000:plumbtest-a\n", "");
    }

    @Test
    void aNewGroupIsCreatedWithItsGid() throws Exception {
        runner.exit("getent group plumbtest-g", 2);

        Change change = group(Map.of("gid", 2000, "system", true)).converge(context, true);

        assertThat(change.action()).isEqualTo(Action.CREATE);
        assertThat(change.entries()).containsExactly(
                new Change.Entry(Action.CREATE, "ensure", null, "present", "create group, gid 2000, system group"));
        assertThat(runner.argvs()).containsExactly(List.of("getent", "group", "plumbtest-g"),
                List.of("groupadd", "--gid", "2000", "--system", "plumbtest-g"));
    }

    @Test
    void aNewGroupWithoutGidLetsGroupaddChoose() throws Exception {
        runner.exit("getent group plumbtest-g", 2);

        assertThat(group(Map.of()).converge(context, true).details()).containsExactly("create group");
        assertThat(runner.lines()).containsExactly("getent group plumbtest-g", "groupadd plumbtest-g");
    }

    @Test
    void aDifferentGidIsChanged() throws Exception {
        existing();

        Change change = group(Map.of("gid", 2001)).converge(context, true);

        assertThat(change.details()).containsExactly("gid changed '2000' to '2001'");
        assertThat(runner.lines()).containsExactly("getent group plumbtest-g", "groupmod --gid 2001 plumbtest-g");
    }

    @Test
    void aPlanOnlyQueries() throws Exception {
        existing();

        assertThat(group(Map.of("gid", 2001)).converge(context, false).isNeeded()).isTrue();
        assertThat(group(Map.of("ensure", "absent")).converge(context, false).details()).containsExactly("remove group");
        assertThat(runner.lines()).containsExactly("getent group plumbtest-g", "getent group plumbtest-g");
    }

    @Test
    void aGroupAsDescribedNeedsNothing() throws Exception {
        existing();

        assertThat(group(Map.of("gid", 2000, "system", true)).converge(context, true).isNeeded()).isFalse();
        assertThat(runner.lines()).containsExactly("getent group plumbtest-g");
    }

    @Test
    void anAbsentGroupIsRemoved() throws Exception {
        existing();

        Change change = group(Map.of("ensure", "absent")).converge(context, true);

        assertThat(change.action()).isEqualTo(Action.REMOVE);
        assertThat(change.details()).containsExactly("remove group");
        assertThat(runner.lines()).containsExactly("getent group plumbtest-g", "groupdel plumbtest-g");
    }

    @Test
    void aGroupThatCannotBeRemovedSaysWhy() {
        existing();
        runner.answer("groupdel plumbtest-g", 8, "", "groupdel: cannot remove the primary group of user 'plumbtest-a'\n");

        assertThatThrownBy(() -> group(Map.of("ensure", "absent")).converge(context, true))
                .isInstanceOf(ResourceException.class)
                .hasMessage("groupdel failed with exit code 8:\ngroupdel: cannot remove the primary group of user 'plumbtest-a'");
    }

    @Test
    void theNameAndGidAreChecked() {
        GroupResource resource = instantiate("group", "-g", Map.of("gid", -5, "ensure", "gone"));

        assertThat(resource.validate()).extracting(Diagnostic::attribute).containsExactly("name", "ensure", "gid");
    }
}

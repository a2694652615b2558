package dev.plumb.resources;

import static dev.plumb.Fixtures.content;
import static dev.plumb.Fixtures.instantiate;
import static dev.plumb.Fixtures.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.Fixtures;
import dev.plumb.api.Command;
import dev.plumb.api.CommandRunner;
import dev.plumb.api.Context;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.ResourceException;
import dev.plumb.system.ProcessCommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code validate}: new content goes live only when a real validator, run on it in a temporary file with the final
 * mode and in a directory only root may enter, accepts it. The validator here is a script that accepts a config whose every line is {@code key value}.
 */
class FileValidateTest {

    @TempDir
    Path dir;

    private Path validator;
    private final List<Command> ran = new ArrayList<>();
    private final List<String> modesSeen = new ArrayList<>();
    private final List<Path> copiesSeen = new ArrayList<>();
    private final List<String> copyDirectoryModesSeen = new ArrayList<>();
    private Context context;

    @BeforeEach
    void setUp() throws Exception {
        // As /etc: every user may enter, so only the file's own mode decides whether its content is secret.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        validator = dir.resolve("check-config");
        Files.writeString(validator, """
                #!/bin/sh
                # Accepts a file whose every line is "key value"; prints the first bad line, as sshd -t does.
                if bad=$(grep -nvE '^[a-z]+ [^ ]+$' "$1"); then
                  echo "$1: bad line: $bad" >&2
                  exit 1
                fi
                """);
        Files.setPosixFilePermissions(validator, PosixFilePermissions.fromString("rwxr-xr-x"));
        CommandRunner system = new ProcessCommandRunner();
        context = Fixtures.context(command -> {
            ran.add(command);
            Path candidate = Path.of(command.argv().get(command.argv().size() - 1));
            modesSeen.add(PosixFilePermissions.toString(Files.getPosixFilePermissions(candidate)));
            copiesSeen.add(candidate);
            copyDirectoryModesSeen.add(Files.getOwner(candidate.getParent()).getName() + " "
                    + PosixFilePermissions.toString(Files.getPosixFilePermissions(candidate.getParent())));
            return system.run(command);
        }, dir.resolve("backups"));
    }

    private FileResource file(Path path, String text, Object... more) {
        return instantiate("file", path.toString(), with(with(content(text), "validate", validator + " %s"), more));
    }

    @Test
    void goodContentGoesLiveAfterTheValidatorAcceptsItWithTheFinalMode() throws Exception {
        Path config = dir.resolve("app.conf");
        Files.writeString(config, "port 22\n");

        file(config, "port 2222\nlisten any\n", "mode", "0600").converge(context, true);

        assertThat(Files.readString(config)).isEqualTo("port 2222\nlisten any\n");
        assertThat(ran).singleElement().satisfies(command -> {
            assertThat(command.argv().get(0)).isEqualTo(validator.toString());
            assertThat(command.argv().get(1)).doesNotStartWith(dir.toString()).endsWith("/app.conf");
        });
        assertThat(modesSeen).containsExactly("rw-------");
        assertThat(copyDirectoryModesSeen).containsExactly("root rwx------");
        assertThat(copiesSeen.get(0).getParent()).doesNotExist();
        assertThat(dir).isDirectoryNotContaining(p -> p.getFileName().toString().contains("plumb-tmp"));
    }

    @Test
    void aUserOwningTheDirectoryCannotSwapTheValidatedFileForALinkToShadow() throws Exception {
        Path www = Files.createDirectory(dir.resolve("www"));
        Files.setOwner(www, www.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        String shadowsFirstLine = Files.readAllLines(Path.of("/etc/shadow")).get(0);
        // The attack, as nobody, at the worst moment: just before root's validator reads the file it was given.
        FileResource attacked = instantiate("file", www.resolve("app.conf").toString(), with(content("port 22\n"),
                "validate", "sh -c '/usr/sbin/runuser -u nobody -- ln -sf /etc/shadow \"$1\"; cat \"$1\"; exit 1' sh %s"));

        assertThatThrownBy(() -> attacked.converge(context, true))
                .hasMessageContaining("rejected the new content (exit 1)")
                .hasMessageContaining("Permission denied")
                .hasMessageNotContaining(shadowsFirstLine);
        assertThat(www.resolve("app.conf")).doesNotExist();
    }

    @Test
    void aValidatorThatRewritesItsInputDoesNotChooseWhatGoesLive() throws Exception {
        Path config = dir.resolve("app.conf");
        FileResource rewritten = instantiate("file", config.toString(), with(content("port 22\n"), "validate",
                "sh -c 'cp \"$1\" \"$1.bak\" && echo \"evil 1\" > \"$1.new\" && mv \"$1.new\" \"$1\"' sh %s"));

        rewritten.converge(context, true);

        assertThat(Files.readString(config)).isEqualTo("port 22\n");
        assertThat(copiesSeen).singleElement().satisfies(copy -> assertThat(copy.getParent()).doesNotExist());
    }

    @Test
    void theValidatorsOutputIsHiddenWhenAnExistingPrivateFileKeepsItsMode() throws Exception {
        Path config = dir.resolve("app.conf");
        Files.writeString(config, "password old\n");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> file(config, "password hunter2 typo\n").converge(context, true))
                .hasMessageEndingWith("the file was left as it was (output not shown: the content is secret)")
                .hasMessageNotContaining("hunter2");
        assertThat(modesSeen).containsExactly("rw-------");
    }

    @Test
    void badContentNeverGoesLiveAndTheResourceFailsWithTheValidatorsOutput() throws Exception {
        Path config = dir.resolve("app.conf");
        Files.writeString(config, "port 22\n");

        assertThatThrownBy(() -> file(config, "port 2222\nthis line is wrong\n").converge(context, true))
                .isInstanceOf(ResourceException.class)
                .hasMessageStartingWith("validate: '" + validator + " %s' rejected the new content (exit 1); the file "
                        + "was left as it was:\n")
                .hasMessageContaining("bad line: 2:this line is wrong");
        assertThat(Files.readString(config)).isEqualTo("port 22\n");
        assertThat(dir).isDirectoryNotContaining(p -> p.getFileName().toString().contains("plumb-tmp"));

        Path fresh = dir.resolve("new.conf");
        assertThatThrownBy(() -> file(fresh, "nonsense\n").converge(context, true)).isInstanceOf(ResourceException.class);
        assertThat(fresh).doesNotExist();
    }

    @Test
    void aSecretContentIsNotEchoedFromTheValidatorsOutput() throws Exception {
        Path config = dir.resolve("app.conf");
        assertThatThrownBy(() -> file(config, "password is hunter2\n", "sensitive", true).converge(context, true))
                .hasMessageEndingWith("the file was left as it was (output not shown: the content is secret)")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void planRunsNoValidatorAndUnchangedContentIsNotValidatedAgain() throws Exception {
        Path config = dir.resolve("app.conf");
        assertThat(file(config, "port 22\n").converge(context, false).isNeeded()).isTrue();
        assertThat(ran).isEmpty();
        file(config, "port 22\n").converge(context, true);
        file(config, "port 22\n").converge(context, true);
        assertThat(ran).hasSize(1);
    }

    @Test
    void theCommandIsSplitAsAShellWouldButRunWithoutOne() throws Exception {
        Path config = dir.resolve("odd name; rm -rf x.conf");
        FileResource quoted = instantiate("file", config.toString(), with(content("port 22\n"), "validate",
                "'" + validator + "' %s"));
        quoted.converge(context, true);
        assertThat(ran).singleElement().satisfies(command -> assertThat(command.argv()).hasSize(2));
        assertThat(Files.readString(config)).isEqualTo("port 22\n");
    }

    @Test
    void visudoKeepsABrokenSudoersRuleFromGoingLive() throws Exception {
        Path visudo = Path.of("/usr/sbin/visudo");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(visudo), "sudo is not installed");
        Path sudoers = dir.resolve("plumbtest");
        FileResource good = instantiate("file", sudoers.toString(), with(content("deploy ALL=(root) NOPASSWD: /usr/bin/true\n"),
                "mode", "0440", "validate", visudo + " -cf %s"));
        good.converge(context, true);
        FileResource broken = instantiate("file", sudoers.toString(), with(content("deploy ALL=(root NOPASSWD\n"),
                "mode", "0440", "validate", visudo + " -cf %s"));

        assertThatThrownBy(() -> broken.converge(context, true)).hasMessageContaining("rejected the new content (exit 1)");
        assertThat(Files.readString(sudoers)).isEqualTo("deploy ALL=(root) NOPASSWD: /usr/bin/true\n");
        assertThat(modesSeen).containsExactly("r--r-----", "r--r-----");
    }

    @Test
    void aValidateWithoutPlaceholderOrContentIsRefused() {
        Path config = dir.resolve("app.conf");
        assertThat(((FileResource) instantiate("file", config.toString(), with(content("x"), "validate", "sshd -t"))).validate())
                .extracting(Diagnostic::toString).singleElement().asString()
                .contains("validate", "needs %s where the new content's path goes");
        assertThat(((FileResource) instantiate("file", config.toString(), Map.of("validate", "sshd -t -f %s"))).validate())
                .extracting(Diagnostic::toString).singleElement().asString().contains("give content, source or template");
        assertThat(((FileResource) instantiate("file", config.toString(), with(content("x"), "validate", "sh -c 'x %s"))).validate())
                .extracting(Diagnostic::toString).singleElement().asString().contains("single quote that is not closed");
    }
}

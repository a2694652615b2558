package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.compiler.ProjectFiles;
import dev.plumb.compiler.ProjectFingerprint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A no-op run reuses the catalogs the previous run compiled when nothing they came from changed, and never when
 * something did: every kind of change a user makes between two runs is seen.
 */
class CompileCacheTest {

    @TempDir
    Path dir;

    private Path site;
    private Path state;
    private ProjectFiles project;
    private String out;

    @BeforeEach
    void writeProject() throws Exception {
        site = Files.createDirectory(dir.resolve("site"));
        state = dir.resolve("state");
        project = new ProjectFiles(Files.createDirectory(dir.resolve("project")))
                .write("templates/page.j2", "{{ greeting }} from {{ host.name }} on {{ facts.os.id }}\n")
                .role("""
                        vars:
                          greeting: hello
                        resources:
                          - file: "{{ root }}/page.txt"
                            template: page.j2
                            mode: "0640"
                        """);
    }

    private int apply(String... extra) {
        List<String> args = new ArrayList<>(List.of("apply", "-p", project.directory().toString(), "--var", "root=" + site,
                "--state-dir", state.toString()));
        args.addAll(List.of(extra));
        InProcess run = InProcess.plumb(args);
        out = run.out();
        return run.exit();
    }

    /** Applies until the project's catalogs are kept: the project must have settled first. */
    private void convergeAndKeep() throws Exception {
        assertThat(apply()).isEqualTo(2);
        ProjectFingerprint.awaitSettled(project.directory(), Duration.ofSeconds(10));
        assertThat(apply()).isZero();
        assertThat(entries()).hasSize(1);
    }

    private List<Path> entries() throws Exception {
        try (Stream<Path> files = Files.list(state.resolve("cache"))) {
            return files.toList();
        }
    }

    @Test
    void keptCatalogsArePrivateAndANoOpRunsThemWithoutWritingThemAgain() throws Exception {
        convergeAndKeep();
        Path entry = entries().get(0);
        assertThat(Files.getPosixFilePermissions(state.resolve("cache"))).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(entry)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        Object written = Files.getAttribute(entry, "unix:ino");
        assertThat(apply()).isZero();
        assertThat(out).contains(", 0 changed");
        // A run that compiled would have replaced the entry (a new file, renamed over the old one).
        assertThat(Files.getAttribute(entry, "unix:ino")).isEqualTo(written);
    }

    @Test
    void aTemplateEditedToTheSameSizeAndTimeIsRenderedAgain() throws Exception {
        convergeAndKeep();
        Path template = project.directory().resolve("templates/page.j2");
        FileTime before = Files.getLastModifiedTime(template);
        Files.writeString(template, "{{ greeting }} FROM {{ host.name }} on {{ facts.os.id }}\n");
        Files.setLastModifiedTime(template, before);
        assertThat(apply()).isEqualTo(2);
        assertThat(Files.readString(site.resolve("page.txt"))).startsWith("hello FROM local on ");
    }

    @Test
    void aChangedVariableOnTheCommandLineOrInARoleIsCompiledAgain() throws Exception {
        convergeAndKeep();
        assertThat(apply("--var", "greeting=howdy")).isEqualTo(2);
        assertThat(Files.readString(site.resolve("page.txt"))).startsWith("howdy from");
        project.role("""
                vars:
                  greeting: bonjour
                resources:
                  - file: "{{ root }}/page.txt"
                    template: page.j2
                    mode: "0640"
                """);
        assertThat(apply()).isEqualTo(2);
        assertThat(Files.readString(site.resolve("page.txt"))).startsWith("bonjour from");
    }

    @Test
    void aNewFileInTheProjectIsSeen() throws Exception {
        convergeAndKeep();
        project.write("roles/extra.yaml", "resources:\n  - file: \"{{ root }}/extra.txt\"\n    content: \"x\\n\"\n");
        project.write("inventory.yaml", "groups:\n  all: { roles: [main, extra] }\nhosts:\n  local: { connection: local, groups: [all], env: dev }\n");
        assertThat(apply()).isEqualTo(2);
        assertThat(site.resolve("extra.txt")).hasContent("x");
    }

    @Test
    void anUnreadableOrForeignEntryIsAMissNotAnError() throws Exception {
        convergeAndKeep();
        Path entry = entries().get(0);
        Files.writeString(entry, "{ not json");
        assertThat(apply()).isZero();
        assertThat(Files.readString(site.resolve("page.txt"))).startsWith("hello from local");
        // The next run compiled and kept its catalogs again.
        assertThat(Files.readString(entry)).contains("\"fingerprint\"");
    }

    @Test
    void aProjectGivenThroughALinkIsFingerprintedWhereItReallyIs() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("current"), project.directory());
        List<String> args = List.of("apply", "-p", link.toString(), "--var", "root=" + site, "--state-dir", state.toString());
        assertThat(InProcess.plumb(args).exit()).isEqualTo(2);
        ProjectFingerprint.awaitSettled(project.directory(), Duration.ofSeconds(10));
        assertThat(InProcess.plumb(args).exit()).isZero();
        assertThat(entries()).hasSize(1);

        project.write("templates/page.j2", "{{ greeting }} again\n");
        assertThat(InProcess.plumb(args).exit()).isEqualTo(2);
        assertThat(site.resolve("page.txt")).hasContent("hello again");
    }

    @Test
    void aProjectWithALinkToAFileOutsideItIsNeverKept() throws Exception {
        Path shared = Files.writeString(dir.resolve("shared.yaml"), "resources:\n  - file: \"{{ root }}/shared.txt\"\n"
                + "    content: \"one\\n\"\n");
        Files.createSymbolicLink(project.directory().resolve("roles/shared.yaml"), shared);
        project.write("inventory.yaml", "groups:\n  all: { roles: [main, shared] }\nhosts:\n"
                + "  local: { connection: local, groups: [all], env: dev }\n");
        assertThat(apply()).isEqualTo(2);
        ProjectFingerprint.awaitSettled(project.directory(), Duration.ofSeconds(10));
        assertThat(apply()).isZero();
        assertThat(state.resolve("cache")).doesNotExist();

        Files.writeString(shared, "resources:\n  - file: \"{{ root }}/shared.txt\"\n    content: \"two\\n\"\n");
        assertThat(apply()).isEqualTo(2);
        assertThat(site.resolve("shared.txt")).hasContent("two");
    }

    @Test
    void catalogsKeptWhereAnotherUserCouldWriteAreNeverRun() throws Exception {
        convergeAndKeep();
        Path entry = entries().get(0);
        Object written = Files.getAttribute(entry, "unix:ino");
        Files.setPosixFilePermissions(state.resolve("cache"), PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThat(apply()).isZero();
        // Not read: the run compiled, and kept its catalogs again (a new file).
        assertThat(Files.getAttribute(entry, "unix:ino")).isNotEqualTo(written);
    }

    @Test
    void aCommitIsNamedAfterItIsMadeAndAnEditMakesTheCheckoutDirty() throws Exception {
        git("init", "-q");
        git("add", ".");
        git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "one");
        convergeAndKeep();
        assertThat(apply("--format", "json")).isZero();
        assertThat(out).contains("\"commit\" : \"" + head() + "\"").contains("\"dirty\" : false");

        git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "two");
        assertThat(apply("--format", "json")).isZero();
        assertThat(out).contains("\"commit\" : \"" + head() + "\"").contains("\"dirty\" : false");

        project.write("notes.txt", "not committed\n");
        assertThat(apply("--format", "json")).isZero();
        assertThat(out).contains("\"dirty\" : true");
    }

    private String head() throws Exception {
        return git("rev-parse", "HEAD").strip();
    }

    private String git(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", project.directory().toString()));
        command.addAll(List.of(args));
        Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(git.getInputStream().readAllBytes());
        assertThat(git.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(git.exitValue()).as(output).isZero();
        return output;
    }
}

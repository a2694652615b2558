package dev.plumb.engine;

import dev.plumb.Fixtures;
import dev.plumb.Root;
import dev.plumb.agent.BuiltInTypes;
import dev.plumb.api.Action;
import dev.plumb.api.Backup;
import dev.plumb.api.Diagnostic;
import dev.plumb.catalog.Catalog;
import static dev.plumb.Fixtures.catalog;
import static dev.plumb.Fixtures.content;
import static dev.plumb.Fixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.plumb.catalog.Mode;
import dev.plumb.catalog.ResourceResult;
import dev.plumb.catalog.RunReport;
import dev.plumb.catalog.Status;
import dev.plumb.system.ProcessCommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the engine treats paths: one spelling per path, located problems instead of traces, honest plans. */
class PathSafetyEngineTest {

    @TempDir
    Path dir;

    private RunReport run(Catalog catalog, Mode mode) throws InvalidCatalogException {
        return new Engine(Fixtures.context(new ProcessCommandRunner(), dir.resolve("backups")),
                BuiltInTypes.REGISTRY, 2, Clock.systemUTC())
                .run(catalog, mode);
    }

    private InvalidCatalogException invalid(Catalog catalog) {
        return catchThrowableOfType(InvalidCatalogException.class, () -> run(catalog, Mode.PLAN));
    }

    @Test
    void aLineWithoutAPathIsReportedAsMissingNotAsATrace() {
        InvalidCatalogException e = invalid(catalog(resource("line", "motd", Map.of("text", "hello"))));

        assertThat(e.problems()).containsExactly(Diagnostic.ofResource("line:motd", "path", "is required"));
    }

    @Test
    void twoSpellingsOfOnePathCannotBothBeDeclared() {
        String alias = dir + "/dd/sub/../../dd-escaped";

        InvalidCatalogException e = invalid(catalog(
                resource("file", alias, content("a\n")),
                resource("file", dir + "/dd-escaped", content("b\n"))));

        assertThat(e.problems()).containsExactly(Diagnostic.ofResource("file:" + alias, "path",
                "'" + alias + "' holds a '..' component; write " + dir + "/dd-escaped"));
    }

    @Test
    void everyNonNormalSpellingIsRefusedWithTheNormalForm() {
        assertThat(invalid(catalog(resource("file", "/tmp//a", Map.of()))).problems())
                .extracting(Diagnostic::summary).containsExactly("'/tmp//a' holds '//'; write /tmp/a");
        assertThat(invalid(catalog(resource("directory", "/tmp/a/", Map.of()))).problems())
                .extracting(Diagnostic::summary).containsExactly("'/tmp/a/' ends with '/'; write /tmp/a");
        assertThat(invalid(catalog(resource("symlink", "/tmp/./l", Map.of("target", "x")))).problems())
                .extracting(Diagnostic::summary).containsExactly("'/tmp/./l' holds a '.' component; write /tmp/l");
        assertThat(invalid(catalog(resource("file", "~/a", Map.of()))).problems())
                .extracting(Diagnostic::summary).containsExactly("'~/a' is not an absolute path; plumb does not expand ~: write the home "
                        + "directory out, from /");
    }

    @Test
    void controlCharactersInAPathAreRefusedAndShownEscaped() {
        assertThat(invalid(catalog(resource("file", "/tmp/a\0b", Map.of()))).problems())
                .extracting(Diagnostic::summary).containsExactly("'/tmp/a^@b' holds a control character; NUL, "
                        + "newline and other control characters are refused");
        assertThat(invalid(catalog(resource("line", "l", Map.of("path", "/tmp/x\ny", "text", "t")))).problems())
                .extracting(Diagnostic::summary).singleElement().asString().startsWith("'/tmp/x^Jy' holds a control");
        assertThat(invalid(catalog(resource("exec", "e", Map.of("command", "true", "creates", "/tmp/a\0")))).problems())
                .extracting(Diagnostic::attribute).containsExactly("creates");
    }

    @Test
    void aPlanFailsAFileWhoseParentNeitherExistsNorIsManaged() throws Exception {
        Path orphan = dir.resolve("missing").resolve("app.conf");

        RunReport report = run(catalog(resource("file", orphan.toString(), content("x\n"))), Mode.PLAN);

        assertThat(report.resources()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(Status.FAILED);
            assertThat(r.error()).isEqualTo("parent directory " + orphan.getParent()
                    + " does not exist; declare it as a directory resource");
        });
    }

    @Test
    void aPlanCreatesAFileWhoseParentADirectoryResourceCreates() throws Exception {
        Path parent = dir.resolve("new");
        Path file = parent.resolve("app.conf");

        RunReport report = run(catalog(resource("directory", parent.toString(), Map.of()),
                resource("file", file.toString(), content("x\n"))), Mode.PLAN);

        assertThat(report.resources()).extracting(ResourceResult::status)
                .containsExactly(Status.WOULD_CHANGE, Status.WOULD_CHANGE);
        assertThat(Files.exists(parent)).isFalse();
    }

    @Test
    void aRemovalThatFailsPartWayKeepsWhatWasRemovedAndItsBackupsInTheReport() throws Exception {
        Path tree = Files.createDirectory(dir.resolve("tree"));
        Files.writeString(tree.resolve("a"), "first");
        Path stuck = Files.writeString(tree.resolve("b"), "stuck");
        try (Root.Scene immutable = Root.scene(List.of("chattr", "-i", stuck.toString()), "chattr", "+i", stuck.toString())) {
            assumeTrue(immutable != null, "chattr +i needs root on a filesystem that supports it");
            RunReport report = run(catalog(resource("directory", tree.toString(), Map.of("ensure", "absent"))), Mode.APPLY);

            assertThat(report.resources()).singleElement().satisfies(r -> {
                assertThat(r.status()).isEqualTo(Status.FAILED);
                assertThat(r.action()).isEqualTo(Action.REMOVE);
                assertThat(r.details()).containsExactly("removed " + tree.resolve("a"));
                assertThat(r.backups()).extracting(Backup::path).containsExactly(tree.resolve("a").toString());
            });
        }
    }
}

package dev.plumb.compiler;

import dev.plumb.api.Diagnostic;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's path and removal rules, met at compile time with the file, line and column of the attribute. */
class PathRulesCompilerTest {

    private static final Map<String, Object> FACTS = Map.of("hostname", "box", "os", Map.of("id", "debian", "family", "debian"));

    @TempDir
    Path dir;

    private List<String> problems(String role) {
        try {
            new Compiler(ProjectLoader.load(new ProjectFiles(dir).role(role).directory())).compile("local", Map.of(), FACTS);
        } catch (CompileException e) {
            return e.problems().stream().map(Diagnostic::toString).toList();
        }
        throw new AssertionError("expected the project not to compile");
    }

    @Test
    void aPathSpelledTwoWaysIsRefusedWithItsNormalForm() {
        assertThat(problems("""
                resources:
                  - file: /tmp/dd/sub/../../dd-escaped
                    content: a
                  - directory: /tmp/pd/./keep
                """)).containsExactly(
                "roles/main.yaml:2:11: file[/tmp/dd/sub/../../dd-escaped] path: '/tmp/dd/sub/../../dd-escaped' holds a "
                        + "'..' component; write /tmp/dd-escaped",
                "roles/main.yaml:4:16: directory[/tmp/pd/./keep] path: '/tmp/pd/./keep' holds a '.' component; "
                        + "write /tmp/pd/keep");
    }

    @Test
    void anEmptyModeIsAnError() {
        assertThat(problems("resources:\n  - file: /tmp/a\n    mode: \"\"\n")).singleElement().asString()
                .startsWith("roles/main.yaml:3:11: file[/tmp/a] mode: '' is not a file mode");
    }

    @Test
    void aLineWithoutAPathSaysSo() {
        assertThat(problems("resources:\n  - line: motd\n    text: hello\n")).singleElement().asString()
                .endsWith("line[motd] path: is required");
    }

    @Test
    void purgingASystemDirectoryNamesTheAttributeThatAllowsIt() {
        assertThat(problems("resources:\n  - directory: /etc\n    purge: true\n")).singleElement().asString()
                .endsWith("directory[/etc] purge: /etc is a top-level system directory; plumb refuses to purge it unless "
                        + "the resource also sets force: true");
    }
}

package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.compiler.ProjectFiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --var} takes lists and mappings as JSON, as Ansible's {@code --extra-vars} does. */
class VarOptionTest {

    @TempDir
    Path dir;

    private InProcess catalog(String... vars) {
        ProjectFiles project = new ProjectFiles(dir).role("resources:\n  - file: /tmp/plumb-var-test\n"
                + "    content: \"{{ servers|join(',') }} {{ limits.open }} {{ servers|length }}\"\n");
        List<String> args = new java.util.ArrayList<>(List.of("catalog", "local", "-p", project.directory().toString()));
        for (String var : vars) {
            args.addAll(List.of("--var", var));
        }
        return InProcess.plumb(args);
    }

    @Test
    void listsAndMappingsAreReadAsJson() {
        InProcess run = catalog("servers=[\"a\", \"b\"]", "limits={\"open\": 1024}");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("\"content\" : \"a,b 1024 2\"");
    }

    @Test
    void invalidJsonIsAUsageErrorThatShowsHowToWriteIt() {
        InProcess run = catalog("servers=[a, b]", "limits={}");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).startsWith("plumb: --var servers: a value starting with [ or { is read as JSON, and this "
                + "is not valid JSON: ").contains("e.g. --var 'servers=[\"a\", \"b\"]'");
    }
}

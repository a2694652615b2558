package dev.plumb.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.api.Diagnostic;
import dev.plumb.catalog.CatalogResource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A download in a role: its attributes as the compiler checks them, before any host is touched. */
class DownloadCompileTest {

    private static final Map<String, Object> FACTS = Map.of("hostname", "box", "os", Map.of("id", "debian", "family", "debian"));
    private static final String SHA256 = "a".repeat(64);

    @TempDir
    Path dir;

    private List<CatalogResource> compile(String role) throws CompileException {
        return new Compiler(ProjectLoader.load(new ProjectFiles(dir).role(role).directory())).compile("local", Map.of(), FACTS)
                .catalog().resources();
    }

    private List<String> problems(String role) {
        try {
            compile(role);
        } catch (CompileException e) {
            return e.problems().stream().map(Diagnostic::toString).toList();
        }
        throw new AssertionError("expected the project not to compile");
    }

    @Test
    void aDownloadCompilesWithItsAttributes() throws Exception {
        assertThat(compile("""
                resources:
                  - download: /opt/node
                    url: https://nodejs.org/dist/v20.11.1/node-v20.11.1-linux-x64.tar.gz
                    sha256: %s
                    extract: tar.gz
                    max_size: 200M
                    timeout: 120
                    mode: "0755"
                """.formatted(SHA256))).singleElement().satisfies(resource -> assertThat(resource.attributes())
                .containsEntry("extract", "tar.gz").containsEntry("max_size", "200M").containsEntry("timeout", 120));
    }

    @Test
    void aMisspeltOrMissingAttributeIsNamedAtItsLine() {
        assertThat(problems("""
                resources:
                  - download: /usr/local/bin/tool
                    url: https://example.org/tool
                    sha265: %s
                """.formatted(SHA256))).anySatisfy(problem -> assertThat(problem)
                .startsWith("roles/main.yaml:4:5: unknown key 'sha265' in download resource")
                .endsWith("did you mean 'sha256'?"));
        assertThat(problems("""
                resources:
                  - download: /usr/local/bin/tool
                    url: https://example.org/tool
                """)).anySatisfy(problem -> assertThat(problem).contains("sha256").contains("required"));
    }
}

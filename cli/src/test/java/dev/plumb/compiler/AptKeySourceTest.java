package dev.plumb.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.api.Diagnostic;
import dev.plumb.catalog.CatalogResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An apt_repository's key from a file of the project: the catalog carries the armored text as its key. */
class AptKeySourceTest {

    private static final Map<String, Object> FACTS = Map.of("hostname", "box", "os", Map.of("id", "debian", "family", "debian"));
    private static final String KEY = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZ0000\n-----END PGP PUBLIC KEY BLOCK-----\n";
    private static final String ROLE = """
            resources:
              - apt_repository: nginx
                uris: [https://nginx.org/packages/debian]
                suites: [bookworm]
                components: [nginx]
            """;

    @TempDir
    Path dir;

    private List<CatalogResource> compile(ProjectFiles project) throws CompileException {
        return new Compiler(ProjectLoader.load(project.directory())).compile("local", Map.of(), FACTS).catalog().resources();
    }

    private List<String> problems(ProjectFiles project) {
        try {
            compile(project);
        } catch (CompileException e) {
            return e.problems().stream().map(Diagnostic::toString).toList();
        }
        throw new AssertionError("expected the project not to compile");
    }

    @Test
    void keySourceBecomesTheKeyText() throws Exception {
        ProjectFiles project = new ProjectFiles(dir).write("files/nginx.asc", KEY).role(ROLE + "    key_source: nginx.asc\n");

        assertThat(compile(project)).singleElement().satisfies(resource -> {
            assertThat(resource.attributes()).containsEntry("key", KEY).doesNotContainKey("key_source");
        });
    }

    @Test
    void theKeyIsGivenOneWayAndAsText() throws Exception {
        ProjectFiles both = new ProjectFiles(dir).write("files/nginx.asc", KEY)
                .role(ROLE + "    key: x\n    key_source: nginx.asc\n");
        assertThat(problems(both)).containsExactly("roles/main.yaml:7:5: give the signing key one way: key and "
                + "key_source are both set; keep one of them");

        Files.write(dir.resolve("files/nginx.gpg"), new byte[] {(byte) 0x99, 0x01, (byte) 0xff, (byte) 0xfe});
        ProjectFiles binary = new ProjectFiles(dir).role(ROLE + "    key_source: nginx.gpg\n");
        assertThat(problems(binary)).containsExactly("roles/main.yaml:6:17: files/nginx.gpg is a binary key; give the "
                + "ASCII-armored one, as 'gpg --armor --export' prints it");
    }
}

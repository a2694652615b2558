package dev.plumb.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.api.Diagnostic;
import dev.plumb.catalog.Catalog;
import dev.plumb.catalog.CatalogResource;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A relation to a resource that a {@code when:} left out of this host's catalog is done without, not an error. */
class WhenRelationsTest {

    @TempDir
    Path dir;

    private static final String ROLE = """
            resources:
              - package: nginx
                when: "facts.os.id == 'debian'"
              - service: nginx
                when: "facts.os.id == 'debian'"
                requires: package:nginx
              - file: /etc/app.conf
                content: "x"
                requires: package:nginx
                notify: [service:nginx, exec:reload-app]
              - exec: reload-app
                command: /bin/true
                refreshonly: true
            """;

    private Catalog compile(Map<String, Object> facts) throws CompileException {
        new ProjectFiles(dir).role(ROLE);
        return new Compiler(ProjectLoader.load(dir)).compile("local", Map.of(), facts).catalog();
    }

    private static CatalogResource resource(Catalog catalog, String id) {
        return catalog.resources().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void whereTheResourceIsLeftOutWhatRefersToItDoesWithoutIt() throws Exception {
        Catalog catalog = compile(Map.of("os", Map.of("id", "alpine")));

        CatalogResource file = resource(catalog, "file:/etc/app.conf");
        assertThat(file.requires()).isEmpty();
        assertThat(file.notifies()).containsExactly("exec:reload-app");
        assertThat(catalog.resources()).extracting(CatalogResource::id).doesNotContain("service:nginx", "package:nginx");
    }

    @Test
    void whereTheResourceIsThereTheRelationStays() throws Exception {
        Catalog catalog = compile(Map.of("os", Map.of("id", "debian")));

        assertThat(resource(catalog, "file:/etc/app.conf").notifies()).containsExactly("service:nginx", "exec:reload-app");
        assertThat(resource(catalog, "service:nginx").requires()).containsExactly("package:nginx");
    }

    @Test
    void aResourceLeftOutInOneEntryAndDeclaredByAnotherKeepsItsRelations() throws Exception {
        new ProjectFiles(dir).role("""
                resources:
                  - package: nginx
                    when: "facts.os.id == 'alpine'"
                  - package: nginx
                    ensure: purged
                    when: "facts.os.id != 'alpine'"
                  - file: /etc/app.conf
                    content: "x"
                    requires: package:nginx
                """);
        Catalog catalog = new Compiler(ProjectLoader.load(dir)).compile("local", Map.of(), Map.of("os", Map.of("id", "debian")))
                .catalog();

        assertThat(resource(catalog, "file:/etc/app.conf").requires()).containsExactly("package:nginx");
    }

    @Test
    void aReferenceToAResourceNeverDeclaredIsStillAnError() {
        new ProjectFiles(dir).role("""
                resources:
                  - file: /etc/app.conf
                    content: "x"
                    notify: service:ngnix
                  - service: nginx
                    when: "false"
                """);
        assertThatThrownBy(() -> new Compiler(ProjectLoader.load(dir)).compile("local", Map.of(), Map.of()))
                .isInstanceOf(CompileException.class)
                .satisfies(e -> assertThat(((CompileException) e).problems()).map(Diagnostic::toString)
                        .anyMatch(problem -> problem.contains("refers to service:ngnix, which is not declared")));
    }
}

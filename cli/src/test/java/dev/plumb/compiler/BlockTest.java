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

/** A block of resources or checks shares one when, as Ansible's block does. */
class BlockTest {

    @TempDir
    Path dir;

    private static final String ROLE = """
            resources:
              - block:
                  - package: nginx
                  - file: /etc/nginx/conf.d/app.conf
                    content: "server { listen {{ port }}; }"
                    notify: service:nginx
                  - block:
                      - service: nginx
                        running: true
                    when: "start_nginx"
                when: "facts.os.id == 'debian'"
              - file: /etc/motd
                content: "hello"
                notify: service:nginx
            checks:
              - block:
                  - port: "{{ port }}"
                when: "facts.os.id == 'debian'"
            """;

    private Catalog compile(Map<String, Object> facts, Map<String, Object> vars) throws CompileException {
        new ProjectFiles(dir).role(ROLE);
        return new Compiler(ProjectLoader.load(dir)).compile("local", vars, facts).catalog();
    }

    @Test
    void whereTheBlocksConditionHoldsItsEntriesAreThereAndNestedBlocksAskTheirOwnToo() throws Exception {
        Catalog catalog = compile(Map.of("os", Map.of("id", "debian")), Map.of("port", 8080, "start_nginx", true));

        assertThat(catalog.resources()).extracting(CatalogResource::id).containsExactly("package:nginx",
                "file:/etc/nginx/conf.d/app.conf", "service:nginx", "file:/etc/motd");
        assertThat(catalog.checks()).hasSize(1);
        assertThat(compile(Map.of("os", Map.of("id", "debian")), Map.of("port", 8080, "start_nginx", false)).resources())
                .extracting(CatalogResource::id).doesNotContain("service:nginx");
    }

    @Test
    void whereItDoesNotNothingOfItIsRenderedAndWhatReferredToItDoesWithout() throws Exception {
        // No port and no start_nginx: what the block guards is never rendered.
        Catalog catalog = compile(Map.of("os", Map.of("id", "alpine")), Map.of());

        assertThat(catalog.resources()).extracting(CatalogResource::id).containsExactly("file:/etc/motd");
        assertThat(catalog.resources().get(0).notifies()).isEmpty();
        assertThat(catalog.checks()).isEmpty();
    }

    @Test
    void aBlockIsCheckedEvenWhereItsConditionDoesNotHold() {
        new ProjectFiles(dir).role("""
                resources:
                  - block:
                      - file: /tmp/a
                        contnet: x
                    when: "false"
                    notify: file:/tmp/b
                """);
        assertThatThrownBy(() -> new Compiler(ProjectLoader.load(dir)).compile("local", Map.of(), Map.of()))
                .isInstanceOf(CompileException.class)
                .satisfies(e -> assertThat(((CompileException) e).problems()).map(Diagnostic::toString).containsExactly(
                        "roles/main.yaml:6:5: unknown key 'notify' in block; expected one of block, when",
                        "roles/main.yaml:4:9: unknown key 'contnet' in file resource; expected one of ensure, content, "
                                + "mode, owner, group, sensitive, validate, source, template, requires, notify, when, for_each; "
                                + "did you mean 'content'?"));
    }
}

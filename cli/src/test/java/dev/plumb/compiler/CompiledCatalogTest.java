package dev.plumb.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.catalog.CatalogResource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A compiled catalog is a value: per host, from that host's facts, with where each entry came from. */
class CompiledCatalogTest {

    @TempDir
    Path dir;

    @Test
    void theSourceMapPlacesEachResourceAndCheckWhereItWasDeclared() throws Exception {
        ProjectFiles project = new ProjectFiles(dir).role("""
                resources:
                  - file: /etc/motd
                    content: hello
                  - exec: reload
                    refreshonly: true
                checks:
                  - port: 22
                """);

        SourceMap sources = new Compiler(ProjectLoader.load(project.directory()))
                .compile("local", Map.of(), Map.of("hostname", "box")).sources();

        assertThat(sources.resource("file:/etc/motd")).hasToString("roles/main.yaml:2:5");
        assertThat(sources.resource("exec:reload")).hasToString("roles/main.yaml:4:5");
        assertThat(sources.check("port[22]")).hasToString("roles/main.yaml:7:11");
        assertThat(sources.resource("file:/etc/other")).isNull();
    }

    @Test
    void eachHostIsCompiledFromItsOwnFacts() throws Exception {
        ProjectFiles project = new ProjectFiles(dir).role("""
                resources:
                  - file: /etc/motd
                    content: "welcome to {{ facts.hostname }}"
                  - package: nginx
                    when: "facts.os.family == 'debian'"
                """).write("inventory.yaml", """
                groups:
                  all: { roles: [main] }
                hosts:
                  web1: { connection: local, groups: [all] }
                  db1: { connection: local, groups: [all] }
                """);
        Map<String, Map<String, Object>> facts = Map.of(
                "web1", Map.of("hostname", "web1", "os", Map.of("family", "debian")),
                "db1", Map.of("hostname", "db1", "os", Map.of("family", "redhat")));

        Map<String, CompiledCatalog> catalogs = new Compiler(ProjectLoader.load(project.directory()))
                .compileAll(List.of("web1", "db1"), Map.of(), facts::get);

        assertThat(catalogs.get("web1").catalog().resources()).extracting(CatalogResource::id)
                .containsExactly("file:/etc/motd", "package:nginx");
        assertThat(catalogs.get("web1").catalog().resources().get(0).attributes()).containsEntry("content", "welcome to web1");
        assertThat(catalogs.get("db1").catalog().resources()).extracting(CatalogResource::id)
                .containsExactly("file:/etc/motd");
        assertThat(catalogs.get("db1").catalog().resources().get(0).attributes()).containsEntry("content", "welcome to db1");
    }

    @Test
    void theCompiledCatalogCarriesTheCatalogAsTheEngineValidatedIt() throws Exception {
        ProjectFiles project = new ProjectFiles(dir).role("resources:\n  - file: /etc/motd\n    content: hello\n");
        CompiledCatalog compiled = new Compiler(ProjectLoader.load(project.directory()))
                .compile("local", Map.of(), Map.of("hostname", "box"));

        assertThat(compiled.prepared().catalog()).isSameAs(compiled.catalog());
        assertThat(compiled.prepared().resources()).containsOnlyKeys("file:/etc/motd");
    }
}

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

/** A role includes another with variables of its own, as Ansible's role dependencies and include_role. */
class IncludeRolesTest {

    @TempDir
    Path dir;

    private static final String VHOST = """
            parameters:
              server_name: { type: str, required: true }
              port: { type: int, default: 80 }
            resources:
              - file: "/etc/nginx/sites/{{ server_name }}.conf"
                content: "server {{ server_name }}:{{ port }} for {{ owner }}"
            """;

    private Catalog compile() throws CompileException {
        return new Compiler(ProjectLoader.load(dir)).compile("local", Map.of(), Map.of()).catalog();
    }

    private static String content(Catalog catalog, String id) {
        return (String) catalog.resources().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow()
                .attributes().get("content");
    }

    @Test
    void aRoleIncludedTwiceWithItsOwnVariablesGivesTwoResourcesEachFromItsOwn() throws Exception {
        new ProjectFiles(dir).write("roles/vhost.yaml", VHOST).role("""
                include_roles:
                  - role: vhost
                    vars: { server_name: a.example }
                  - role: vhost
                    vars: { server_name: b.example, port: 8080, owner: "team {{ team }}" }
                  - role: vhost
                    vars: { server_name: a.example }
                vars: { owner: ops, team: web }
                resources:
                  - file: /etc/nginx/nginx.conf
                    content: "{{ owner }}"
                """);
        Catalog catalog = compile();

        assertThat(catalog.resources()).extracting(CatalogResource::id).containsExactly("file:/etc/nginx/sites/a.example.conf",
                "file:/etc/nginx/sites/b.example.conf", "file:/etc/nginx/nginx.conf");
        assertThat(content(catalog, "file:/etc/nginx/sites/a.example.conf")).isEqualTo("server a.example:80 for ops");
        assertThat(content(catalog, "file:/etc/nginx/sites/b.example.conf")).isEqualTo("server b.example:8080 for team web");
        assertThat(content(catalog, "file:/etc/nginx/nginx.conf")).isEqualTo("ops");
    }

    @Test
    void anIncludedRolesParametersAreCheckedWithTheVariablesItsIncludeGives() {
        new ProjectFiles(dir).write("roles/vhost.yaml", VHOST).role("""
                include_roles:
                  - role: vhost
                    vars: { port: eighty }
                vars: { owner: ops }
                resources: []
                """);
        assertThatThrownBy(this::compile).isInstanceOf(CompileException.class)
                .satisfies(e -> assertThat(((CompileException) e).problems()).map(Diagnostic::toString).containsExactly(
                        "roles/vhost.yaml:2:3: parameter server_name of role vhost is required, and host local gives it "
                                + "no value; set it in the host's or a group's vars, or with --var server_name=...",
                        "roles/vhost.yaml:3:3: parameter port of role vhost on host local must be an int, got the text 'eighty'"));
    }

    @Test
    void anUnknownRoleOrARoleThatIncludesItselfIsNamed() {
        new ProjectFiles(dir).write("roles/a.yaml", "include_roles: [b]\nresources: []\n")
                .write("roles/b.yaml", "include_roles: [{ role: a }]\nresources: []\n")
                .role("include_roles: [vhots]\nresources: []\n").write("roles/vhost.yaml", VHOST);

        assertThatThrownBy(() -> ProjectLoader.load(dir)).isInstanceOf(CompileException.class)
                .satisfies(e -> assertThat(((CompileException) e).problems()).map(Diagnostic::toString).containsExactly(
                        "roles/a.yaml:1:17: role a includes itself: a -> b -> a; remove one of these include_roles",
                        "roles/b.yaml:1:25: role b includes itself: b -> a -> b; remove one of these include_roles",
                        "roles/main.yaml:1:17: role 'vhots' not found: expected roles/vhots.yaml; did you mean 'vhost'?"));
    }
}

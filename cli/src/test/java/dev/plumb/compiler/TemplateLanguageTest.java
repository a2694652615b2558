package dev.plumb.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.api.Diagnostic;
import dev.plumb.catalog.CatalogResource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jinja2 as Ansible has it, in a project: {@code when:}, templates, and the messages for mistakes in them. */
class TemplateLanguageTest {

    private static final Map<String, Object> FACTS = Map.of("hostname", "box", "os", Map.of("id", "debian", "version_id", "12"),
            "ssh_version", "7.4");

    @TempDir
    Path dir;

    private List<String> compiled(ProjectFiles project) throws CompileException {
        return new Compiler(ProjectLoader.load(project.directory())).compile("local", Map.of(), FACTS).catalog().resources()
                .stream().map(CatalogResource::id).toList();
    }

    private List<String> problems(ProjectFiles project) {
        try {
            compiled(project);
        } catch (CompileException e) {
            return e.problems().stream().map(Diagnostic::toString).toList();
        }
        throw new AssertionError("expected the project not to compile");
    }

    @Test
    void whenTakesJinjaExpressions() throws Exception {
        ProjectFiles project = new ProjectFiles(dir).role("""
                vars: { ports: [22, 80], extra: [] }
                resources:
                  - file: /tmp/inline-if
                    when: "('yes' if facts.os.id == 'debian' else 'no') == 'yes'"
                  - file: /tmp/in-list
                    when: "facts.os.id in ['debian', 'ubuntu'] and 80 in ports"
                  - file: /tmp/version
                    when: "facts.ssh_version is version('7.6', '<')"
                  - file: /tmp/empty-list-is-false
                    when: "extra"
                  - file: /tmp/string-method
                    when: "facts.hostname.startswith('bo')"
                """);
        assertThat(compiled(project)).containsExactly("file:/tmp/inline-if", "file:/tmp/in-list", "file:/tmp/version",
                "file:/tmp/string-method");
    }

    @Test
    void aShellLengthInACommandIsNotATemplateComment() throws Exception {
        ProjectFiles project = new ProjectFiles(dir).role("resources:\n  - file: /tmp/x\n    content: \"${#PATH} {#\"\n");
        CatalogResource file = new Compiler(ProjectLoader.load(project.directory())).compile("local", Map.of(), FACTS)
                .catalog().resources().get(0);
        assertThat(file.attributes()).containsEntry("content", "${#PATH} {#");
    }

    @Test
    void mistakesInTemplatesNameTheLineColumnAndWhatWasMeant() {
        ProjectFiles project = new ProjectFiles(dir)
                .write("templates/a.j2", "ok\n{% for u in users %}\n{{ u.nmae }}\n{% endfor %}\n")
                .write("templates/b.j2", "{{ facts.os.idd }}\n")
                .write("templates/c.j2", "{% if users is sameas tru %}x{% endif %}\n")
                .write("templates/d.j2", "{{ users|jion(',') }}\n")
                .write("templates/e.j2", "{% if true %}\nno end\n")
                .write("templates/f.j2", "{% if true %}a{% elseif false %}b{% endif %}\n")
                .role("vars: { users: [{ name: ann }] }\nresources:\n"
                        + "  - file: /tmp/a\n    template: a.j2\n  - file: /tmp/b\n    template: b.j2\n"
                        + "  - file: /tmp/c\n    template: c.j2\n  - file: /tmp/d\n    template: d.j2\n"
                        + "  - file: /tmp/e\n    template: e.j2\n  - file: /tmp/f\n    template: f.j2\n");
        assertThat(problems(project)).containsExactly(
                "templates/a.j2:3:6: undefined variable 'u.nmae'; did you mean 'u.name'? (rendering for the file resource "
                        + "at roles/main.yaml:4:15)",
                "templates/b.j2:1:13: undefined variable 'facts.os.idd'; did you mean 'facts.os.id'? (rendering for the "
                        + "file resource at roles/main.yaml:6:15)",
                "templates/c.j2:1:23: undefined variable 'tru'; did you mean 'true'? (rendering for the file resource at "
                        + "roles/main.yaml:8:15)",
                "templates/d.j2:1:10: unknown filter 'jion'; did you mean 'join'?; filters: " + String.join(", ",
                        dev.plumb.compiler.jinja.Filters.NAMES) + " (rendering for the file resource at roles/main.yaml:10:15)",
                "templates/e.j2:2:7: unexpected end of template; expected {% elif %} or {% else %} or {% endif %} "
                        + "(rendering for the file resource at roles/main.yaml:12:15)",
                "templates/f.j2:1:18: unknown tag 'elseif'; did you mean 'elif'?; plumb's templates know if, elif, else, "
                        + "for, set, macro, include, filter, with, block, raw (rendering for the file resource at roles/main.yaml:14:15)");
    }
}

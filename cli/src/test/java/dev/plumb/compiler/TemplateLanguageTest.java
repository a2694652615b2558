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

    @Test
    void nestingDeeperThanAHundredLevelsIsRefusedAtItsPlaceNotACrash() {
        String parentheses = "(".repeat(5000) + "1" + ")".repeat(5000);
        ProjectFiles project = new ProjectFiles(dir)
                .write("templates/deep.j2", "{{ " + parentheses + " }}\n")
                .write("templates/blocks.j2", "{% if true %}".repeat(5000) + "x" + "{% endif %}".repeat(5000) + "\n")
                .role("resources:\n  - file: /tmp/a\n    when: \"" + parentheses + " == 1\"\n"
                        + "  - file: /tmp/b\n    when: \"" + "not ".repeat(5000) + "false\"\n"
                        + "  - file: /tmp/c\n    template: deep.j2\n  - file: /tmp/d\n    template: blocks.j2\n");
        String nested = "blocks, parentheses, brackets and operators such as 'not' are nested more than 100 levels "
                + "deep here, the most plumb reads; compute part of it beforehand with {% set %} or a variable";
        assertThat(problems(project)).satisfiesExactly(
                a -> assertThat(a).startsWith("roles/main.yaml:3:11: when: \"((((").endsWith(nested),
                b -> assertThat(b).startsWith("roles/main.yaml:5:11: when: \"not not").endsWith(nested),
                c -> assertThat(c).isEqualTo("templates/deep.j2:1:103: " + nested
                        + " (rendering for the file resource at roles/main.yaml:7:15)"),
                d -> assertThat(d).isEqualTo("templates/blocks.j2:1:1294: " + nested
                        + " (rendering for the file resource at roles/main.yaml:9:15)"));
    }

    @Test
    void everyFiltersResultIsBoundAsAnyValueIs() {
        ProjectFiles project = new ProjectFiles(dir).role("resources:\n"
                + "  - file: /tmp/a\n    content: \"{{ ('a' * 16000000)|regex_replace('', 'xxxxxxxx') }}\"\n"
                + "  - file: /tmp/b\n    content: \"{{ ('a' * 2000000)|regex_findall('a')|length }}\"\n"
                + "  - file: /tmp/c\n    content: \"{{ 'x'|indent(100000000000) }}\"\n"
                + "  - file: /tmp/d\n    content: \"{% for i in range(-9223372036854775807, 9223372036854775807) %}{% endfor %}\"\n");
        assertThat(problems(project)).satisfiesExactly(
                a -> assertThat(a).startsWith("roles/main.yaml:3:14: the filter regex_replace would make a string of 16777224 "
                        + "characters, more than the limit of 16777216 (16 MiB) for one value"),
                b -> assertThat(b).startsWith("roles/main.yaml:5:14: the filter regex_findall would make a list of 1000001 "
                        + "elements, more than the limit of 1000000 for one value"),
                c -> assertThat(c).startsWith("roles/main.yaml:7:14: the filter indent would make a string of 100000000000 "
                        + "characters"),
                d -> assertThat(d).startsWith("roles/main.yaml:9:14: range(-9223372036854775807, 9223372036854775807) has "
                        + "18446744073709551614 numbers, more than the limit of 1000000"));
    }

    @Test
    void macroArgumentsBeyondItsParametersNeedVarargsOrKwargsInItsBody() {
        ProjectFiles project = new ProjectFiles(dir).role("resources:\n"
                + "  - file: /tmp/a\n    content: \"{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, 2) }}\"\n"
                + "  - file: /tmp/b\n    content: \"{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, b=2) }}\"\n");
        assertThat(problems(project)).satisfiesExactly(
                a -> assertThat(a).startsWith("roles/main.yaml:3:14: macro 'm' takes 1 arguments, got 2 (a macro whose "
                        + "body uses varargs takes more)"),
                b -> assertThat(b).startsWith("roles/main.yaml:5:14: macro 'm' has no parameter 'b' (a macro whose body "
                        + "uses kwargs takes any)"));
    }
}

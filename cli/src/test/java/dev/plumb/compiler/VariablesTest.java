package dev.plumb.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.api.Diagnostic;
import dev.plumb.catalog.Catalog;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Variables whose values are written with template syntax are computed, lazily and in precedence order. */
class VariablesTest {

    private static final Map<String, Object> FACTS = Map.of("hostname", "box", "cpus", 4L, "os", Map.of("id", "debian"));

    @TempDir
    Path dir;

    private Object content(ProjectFiles project, Map<String, Object> vars) throws CompileException {
        Catalog catalog = new Compiler(ProjectLoader.load(project.directory())).compile("local", vars, FACTS).catalog();
        return catalog.resources().get(0).attributes().get("content");
    }

    private List<String> problems(ProjectFiles project) {
        try {
            content(project, Map.of());
        } catch (CompileException e) {
            return e.problems().stream().map(Diagnostic::toString).toList();
        }
        throw new AssertionError("expected the project not to compile");
    }

    private ProjectFiles project(String hostVars, String roleVars, String content) {
        return new ProjectFiles(dir)
                .write("inventory.yaml", "groups:\n  all: { roles: [main] }\n"
                        + "hosts:\n  local: { connection: local, groups: [all], vars: " + hostVars + " }\n")
                .role("vars:\n" + roleVars + "resources:\n  - file: /tmp/x\n    content: \"" + content + "\"\n");
    }

    @Test
    void defaultsBuiltFromOtherVariablesAndFactsAreComputedFromTheWinningValues() throws Exception {
        String roleVars = """
                  ntp_area: ''
                  ntp_servers: ["0{{ '.' + ntp_area if ntp_area else '' }}.pool.ntp.org iburst", "1.pool.ntp.org"]
                  worker_processes: "{{ facts.cpus }}"
                  unused: "{{ no_such_variable }}"
                """;
        String content = "{{ ntp_servers|join(',') }} {{ worker_processes + 1 }}";
        assertThat(content(project("{ ntp_area: de }", roleVars, content), Map.of()))
                .isEqualTo("0.de.pool.ntp.org iburst,1.pool.ntp.org 5");
        assertThat(content(project("{}", roleVars, content), Map.of())).isEqualTo("0.pool.ntp.org iburst,1.pool.ntp.org 5");
        assertThat(content(project("{}", roleVars, content), Map.of("ntp_area", "fr")))
                .isEqualTo("0.fr.pool.ntp.org iburst,1.pool.ntp.org 5");
    }

    @Test
    void aVariableThatNeedsItselfIsReportedWithTheChainAndWhereEachIsWritten() {
        String roleVars = "  a: \"{{ b }}\"\n  b: \"x{{ a }}\"\n";
        assertThat(problems(project("{}", roleVars, "{{ a }}"))).containsExactly("roles/main.yaml:6:14: variable 'a' "
                + "depends on itself: a -> b -> a (a at roles/main.yaml:2:6, b at roles/main.yaml:3:6); give one of them "
                + "a value that does not use the others in '{{ a }}'");
    }

    @Test
    void aVariableThatFailsToComputeSaysWhichAndWhere() {
        assertThat(problems(project("{}", "  port: \"{{ prot }}\"\n", "{{ port }}"))).containsExactly("roles/main.yaml:5:14: "
                + "variable 'port' (roles/main.yaml:2:9): undefined variable 'prot'; did you mean 'port'? in '{{ prot }}' "
                + "in '{{ port }}'");
    }

    @Test
    void tildeAndNullMeanNoValueAndOverrideADefault() throws Exception {
        String content = "{{ a is none }} {{ b is none }} {{ c is none }} [{{ a }}] {{ 'set' if d else 'unset' }} {{ e }}";
        assertThat(content(project("{ d: ~ }", "  a: ~\n  b: null\n  c: '~'\n  d: yes\n  e: \"{{ a if a else 'none' }}\"\n",
                content), Map.of())).isEqualTo("True True False [] unset none");
    }
}

package dev.plumb.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.api.Diagnostic;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A role's typed parameters, as Ansible's argument_specs: every host's values checked at compile time. */
class RoleParametersTest {

    @TempDir
    Path dir;

    private static final String ROLE = """
            parameters:
              ntp_servers: { type: list, required: true, description: the servers to follow }
              ntp_port: { type: int, default: 123 }
              ntp_mode: { type: str, default: client, choices: [client, server] }
            resources:
              - file: /etc/ntp.conf
                content: "{{ ntp_mode }} {{ ntp_port }} {{ ntp_servers | join(' ') }}"
            """;

    private ProjectFiles project(String groupVars) {
        return new ProjectFiles(dir).role(ROLE).write("inventory.yaml", "groups:\n  all: { roles: [main], vars: "
                + groupVars + " }\nhosts:\n  local: { connection: local, groups: [all] }\n");
    }

    private String content(Map<String, Object> vars) throws CompileException {
        return (String) new Compiler(ProjectLoader.load(dir)).compile("local", vars, Map.of()).catalog().resources().get(0)
                .attributes().get("content");
    }

    private List<String> problems(Map<String, Object> vars) {
        try {
            content(vars);
        } catch (CompileException e) {
            return e.problems().stream().map(Diagnostic::toString).toList();
        }
        throw new AssertionError("expected the project not to compile");
    }

    @Test
    void defaultsApplyWhereAHostGivesNoValueAndAGivenValueWins() throws Exception {
        project("{ ntp_servers: [a.example, b.example] }");
        assertThat(content(Map.of())).isEqualTo("client 123 a.example b.example");
        assertThat(content(Map.of("ntp_port", 1123L, "ntp_mode", "server"))).isEqualTo("server 1123 a.example b.example");
    }

    @Test
    void aRequiredParameterWithoutAValueIsNamedWithTheHostAndHowToGiveIt() {
        project("{}");
        assertThat(problems(Map.of())).containsExactly("roles/main.yaml:2:3: parameter ntp_servers of role main is "
                + "required, and host local gives it no value; set it in the host's or a group's vars, or with "
                + "--var ntp_servers=...");
    }

    @Test
    void aValueOfTheWrongTypeOrNotAmongTheChoicesIsAnError() {
        project("{ ntp_servers: a.example, ntp_port: \"123\" }");
        assertThat(problems(Map.of("ntp_mode", "sever"))).containsExactly(
                "roles/main.yaml:2:3: parameter ntp_servers of role main on host local must be a list, got the text 'a.example'",
                "roles/main.yaml:3:3: parameter ntp_port of role main on host local must be an int, got the text '123'",
                "roles/main.yaml:4:3: parameter ntp_mode of role main on host local is the text 'sever', not one of "
                        + "[client, server]; did you mean 'server'?");
    }

    @Test
    void aComputedDefaultIsCheckedForEachHostOnceComputed() throws Exception {
        new ProjectFiles(dir).role("""
                parameters:
                  ciphers: { type: list, default: "{{ modern if version is version('6.6', '>=') else legacy }}" }
                vars:
                  modern: [chacha20-poly1305@openssh.com, aes256-ctr]
                  legacy: aes256-ctr
                resources:
                  - file: /etc/ssh/sshd_config
                    content: "Ciphers {{ ciphers | join(',') }}"
                """);

        assertThat(content(Map.of("version", "9.2"))).isEqualTo("Ciphers chacha20-poly1305@openssh.com,aes256-ctr");
        assertThat(problems(Map.of("version", "5.3"))).containsExactly("roles/main.yaml:2:3: parameter ciphers of role "
                + "main on host local must be a list, got the text 'aes256-ctr'");
    }

    @Test
    void mistakesInTheDeclarationsAreFoundWithoutAnyHost() {
        new ProjectFiles(dir).role("""
                parameters:
                  port: { type: integer, require: true }
                  mode: { type: str, default: 3, choices: [a, b] }
                resources: []
                """);
        assertThatThrownBy(() -> ProjectLoader.load(dir)).isInstanceOf(CompileException.class)
                .satisfies(e -> assertThat(((CompileException) e).problems()).map(Diagnostic::toString).containsExactly(
                        "roles/main.yaml:2:26: unknown key 'require' in parameter port; expected one of type, required, "
                                + "default, choices, description; did you mean 'required'?",
                        "roles/main.yaml:2:17: type 'integer' is not one of str, int, float, bool, list, dict, path, raw",
                        "roles/main.yaml:3:31: the default of parameter mode must be a str, got the number '3'"));
    }
}

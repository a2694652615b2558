package dev.plumb.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.api.Diagnostic;
import dev.plumb.catalog.Catalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data per OS without duplication: the first of a role's vars_files that exists for the host gives its variables. */
class VarsFilesTest {

    @TempDir
    Path dir;

    private static final Map<String, Object> DEBIAN_12 = Map.of("os", Map.of("id", "debian", "version_id", "12"));

    private ProjectFiles project() {
        return new ProjectFiles(dir).role("""
                vars_files:
                  - "{{ facts.os.id }}-{{ facts.os.version_id }}.yaml"
                  - "{{ facts.os.id }}.yaml"
                vars:
                  package: ntp
                  service: ntp
                  servers: [pool.ntp.org]
                resources:
                  - file: /tmp/ntp.conf
                    content: "{{ package }} {{ service }} {{ servers | join(',') }}"
                """);
    }

    private String content(Map<String, Object> facts) throws CompileException {
        Catalog catalog = new Compiler(ProjectLoader.load(dir)).compile("local", Map.of(), facts).catalog();
        return (String) catalog.resources().get(0).attributes().get("content");
    }

    @Test
    void theFirstFileThatExistsForTheHostOverridesTheRolesOwnVariables() throws Exception {
        project().write("vars/debian-12.yaml", "package: ntpsec\n").write("vars/debian.yaml", "package: ntp-debian\nservice: ntpd\n");

        assertThat(content(DEBIAN_12)).isEqualTo("ntpsec ntp pool.ntp.org");
        assertThat(content(Map.of("os", Map.of("id", "debian", "version_id", "11")))).isEqualTo("ntp-debian ntpd pool.ntp.org");
    }

    @Test
    void groupHostAndCommandLineVariablesStillWinOverAVarsFile() throws Exception {
        project().write("vars/debian-12.yaml", "package: ntpsec\nservers: [a.example]\n")
                .write("inventory.yaml", "groups:\n  all: { roles: [main], vars: { package: chrony } }\n"
                        + "hosts:\n  local: { connection: local, groups: [all] }\n");

        assertThat(content(DEBIAN_12)).isEqualTo("chrony ntp a.example");
    }

    @Test
    void noFileForTheHostIsAnErrorNamingEveryFileTried() {
        project();

        assertThatThrownBy(() -> content(Map.of("os", Map.of("id", "alpine", "version_id", "3.20"))))
                .isInstanceOf(CompileException.class)
                .satisfies(e -> assertThat(((CompileException) e).problems()).map(Diagnostic::toString).containsExactly(
                        "roles/main.yaml:2:5: vars_files: none of vars/alpine-3.20.yaml, vars/alpine.yaml exists; add one, "
                                + "or end the list with a file every host has, such as defaults.yaml"));
    }

    @Test
    void aNameOutsideVarsOrALinkOutOfTheProjectIsRefused() throws Exception {
        project().role("vars_files: [\"../plumb.yaml\"]\nresources: []\n");
        assertThatThrownBy(() -> content(DEBIAN_12)).isInstanceOf(CompileException.class)
                .hasMessageContaining("roles/main.yaml:1:14: vars_files: '../plumb.yaml' is not a file name under vars/");

        Path secret = Files.writeString(Files.createTempFile("plumb-secret", ".yaml"), "password: hunter2\n");
        try {
            Files.createDirectories(dir.resolve("vars"));
            Files.createSymbolicLink(dir.resolve("vars/debian.yaml"), secret);
            project().role("vars_files: [\"debian.yaml\"]\nresources: []\n");
            assertThatThrownBy(() -> content(DEBIAN_12)).isInstanceOf(CompileException.class)
                    .hasMessageContaining("vars/debian.yaml: is a link to " + secret.toRealPath() + ", outside the project");
        } finally {
            Files.delete(secret);
        }
    }

    @Test
    void aVarsFileIsCheckedAsVarsAreAtItsOwnLine() throws Exception {
        project().write("vars/debian-12.yaml", "package: ntpsec\nhost: web1\n");

        assertThatThrownBy(() -> content(DEBIAN_12)).isInstanceOf(CompileException.class)
                .hasMessageContaining("vars/debian-12.yaml:2:1: 'host' is reserved");
    }
}

package dev.plumb.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.plumb.api.Diagnostic;
import dev.plumb.facts.CommandFact;
import dev.plumb.facts.Facts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** plumb.yaml's {@code facts:}: facts a project defines, gathered on the host before its catalog is compiled. */
class ProjectFactsTest {

    private static final String SSHD_VERSION = """
            name: test
            environments: [dev]
            facts:
              sshd_version:
                command: "ssh -V"
                pattern: "OpenSSH_([0-9.]+)"
            """;
    private static final String MOTD = "resources:\n  - file: /etc/motd\n    template: motd.j2\n";

    @TempDir
    Path dir;

    private ProjectFiles project(String plumbYaml, String template) {
        return new ProjectFiles(dir).write("plumb.yaml", plumbYaml).write("templates/motd.j2", template).role(MOTD);
    }

    private static Map<String, Object> factsWith(Map<String, Object> projectFacts) {
        Map<String, Object> facts = new HashMap<>(Map.of("hostname", "web1", "os", Map.of("id", "debian")));
        facts.putAll(projectFacts);
        return facts;
    }

    private static String content(Compiler compiler, Map<String, Object> facts) throws CompileException {
        return (String) compiler.compile("local", Map.of(), facts).catalog().resources().get(0).attributes().get("content");
    }

    private static List<String> problems(ThrowingCall call) {
        return catchThrowableOfType(call::run, CompileException.class).problems().stream().map(Diagnostic::toString).toList();
    }

    private interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void theAgentIsAskedForTheFactsOfPlumbYaml() throws Exception {
        project(SSHD_VERSION, "sshd {{ facts.sshd_version }}\n");

        assertThat(ProjectLoader.load(dir).facts().request().commands())
                .containsExactly(new CommandFact("sshd_version", "ssh -V", "OpenSSH_([0-9.]+)"));
    }

    @Test
    void aTemplateUsesAProjectFact() throws Exception {
        project(SSHD_VERSION, "{% if facts.sshd_version is version('9.0', '>=') %}modern{% endif %} sshd {{ facts.sshd_version }}\n");

        assertThat(content(new Compiler(ProjectLoader.load(dir)), factsWith(Map.of("sshd_version", "9.2"))))
                .isEqualTo("modern sshd 9.2\n");
    }

    @Test
    void aFactThatFailedOnTheHostStopsTheCompileWhereItIsDefined() throws Exception {
        project(SSHD_VERSION, "sshd {{ facts.sshd_version }}\n");
        Compiler compiler = new Compiler(ProjectLoader.load(dir));

        assertThat(problems(() -> compiler.compile("local", Map.of(), factsWith(Map.of("fact_errors",
                Map.of("sshd_version", "command 'ssh -V' exited 127: sh: 1: ssh: not found")))))).containsExactly(
                "plumb.yaml:4:3: fact sshd_version failed on host local: command 'ssh -V' exited 127: sh: 1: ssh: not found");
        assertThat(problems(() -> compiler.compile("local", Map.of(), factsWith(Map.of())))).containsExactly(
                "plumb.yaml:4:3: fact sshd_version was not gathered on host local: its facts came without this project's "
                        + "request");
    }

    @Test
    void aFactWithABadNameOrPatternOrNoCommandIsReportedWhereWritten() {
        project("""
                name: test
                environments: [dev]
                facts:
                  Sshd-Version: { command: "ssh -V" }
                  hostname: { command: "hostname -f" }
                  broken: { command: "ssh -V", pattern: "OpenSSH_([0-9.]+" }
                  nothing: { pattern: "x" }
                  extra: { command: "true", timeout: 3 }
                  blank: { command: " " }
                """, "");

        assertThat(problems(() -> ProjectLoader.load(dir))).containsExactly(
                "plumb.yaml:4:3: fact name 'Sshd-Version' is not a name templates can use; use lower-case letters, digits "
                        + "and '_', as sshd_version",
                "plumb.yaml:5:3: fact name 'hostname' is one of plumb's own facts; choose another name",
                "plumb.yaml:6:41: pattern 'OpenSSH_([0-9.]+' of fact broken is not a regular expression: Unclosed group "
                        + "at index 16",
                "plumb.yaml:7:3: fact nothing needs a command, as 'command: \"ssh -V\"'",
                "plumb.yaml:8:29: unknown key 'timeout' in fact extra; expected one of command, pattern",
                "plumb.yaml:9:21: fact blank has an empty command; give one, as 'command: \"ssh -V\"'");
    }

    @Test
    void packagesAreAskedForOnlyByAProjectThatUsesThem() throws Exception {
        project(SSHD_VERSION, "installed: {{ packages | default('none') }}\n");
        assertThat(ProjectLoader.load(dir).facts().request().packages()).isFalse();

        project(SSHD_VERSION, "nginx {{ ansible_facts['packages']['nginx'][0].version }}\n");
        assertThat(ProjectLoader.load(dir).facts().request().packages()).isTrue();

        project(SSHD_VERSION, "").role("resources:\n  - file: /etc/motd\n    content: \"{{ facts.packages.nginx.version }}\"\n");
        assertThat(ProjectLoader.load(dir).facts().request().packages()).isTrue();
    }

    @Test
    void onThisMachineTheFactsCommandRunsHere() throws Exception {
        Path marker = Files.writeString(dir.resolve("marker"), "token-" + UUID.randomUUID());
        project("name: test\nenvironments: [dev]\nfacts:\n  marker:\n    command: \"cat " + marker + "\"\n"
                + "    pattern: \"token-([0-9a-f-]+)\"\n", "{{ facts.marker }}");
        Compiler compiler = new Compiler(ProjectLoader.load(dir));

        assertThat(content(compiler, Facts.ofThisHost(compiler.project().facts().request())))
                .isEqualTo(Files.readString(marker).substring("token-".length()));
    }
}

package dev.plumb.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.api.Diagnostic;
import dev.plumb.catalog.Catalog;
import dev.plumb.catalog.CatalogResource;
import dev.plumb.system.Hashing;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The types that manage the system's own settings compile from project files as their schemas say. */
class SystemTypesCompileTest {

    private static final Map<String, Object> FACTS = Map.of("hostname", "box", "os", Map.of("id", "debian", "family", "debian"));

    @TempDir
    Path dir;

    private Catalog compile(ProjectFiles project) throws CompileException {
        return new Compiler(ProjectLoader.load(project.directory())).compile("local", Map.of(), FACTS).catalog();
    }

    private List<String> problems(ProjectFiles project) {
        try {
            compile(project);
        } catch (CompileException e) {
            return e.problems().stream().map(Diagnostic::toString).toList();
        }
        throw new AssertionError("expected the project not to compile");
    }

    private static CatalogResource resource(Catalog catalog, String id) {
        return catalog.resources().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aSystemdUnitTakesItsContentFromATemplateAsAFileDoes() throws Exception {
        ProjectFiles project = new ProjectFiles(dir)
                .write("templates/app.service.j2", "[Service]\nExecStart=/usr/bin/app --port {{ port }}\n")
                .role("vars: { port: 8080 }\nresources:\n  - systemd_unit: app.service\n    template: app.service.j2\n"
                        + "    enabled: true\n    notify: service:app\n  - service: app\n    running: true\n");

        CatalogResource unit = resource(compile(project), "systemd_unit:app.service");

        String expected = "[Service]\nExecStart=/usr/bin/app --port 8080\n";
        assertThat(unit.attributes()).containsEntry("content", expected).containsEntry("enabled", true)
                .containsEntry("sha256", Hashing.sha256(expected.getBytes(StandardCharsets.UTF_8)));
        assertThat(unit.notifies()).containsExactly("service:app");
    }

    @Test
    void aSystemdUnitsMisspeltAttributeIsNamedWithTheClosestOne() {
        assertThat(problems(new ProjectFiles(dir).role("resources:\n  - systemd_unit: app.service\n    maskd: true\n")))
                .containsExactly("roles/main.yaml:3:5: unknown key 'maskd' in systemd_unit resource; expected one of "
                        + "ensure, content, enabled, masked, source, template, requires, notify, when, for_each; "
                        + "did you mean 'masked'?");
    }

    @Test
    void aSysctlValueWrittenAsANumberIsTakenAsText() throws Exception {
        ProjectFiles project = new ProjectFiles(dir).role("resources:\n  - sysctl: net.ipv4.ip_forward\n    value: 1\n");

        assertThat(resource(compile(project), "sysctl:net.ipv4.ip_forward").attributes()).containsEntry("value", "1");
    }

    @Test
    void aTimezoneTakesNoAttributesButItsName() {
        assertThat(problems(new ProjectFiles(dir).role("resources:\n  - timezone: Europe/Berlin\n    zone: UTC\n")))
                .containsExactly("roles/main.yaml:3:5: unknown key 'zone' in timezone resource; expected one of "
                        + "requires, notify, when, for_each");
    }

    @Test
    void aMountsEnsureIsAChoiceWithTheClosestOneSuggested() {
        assertThat(problems(new ProjectFiles(dir).role("resources:\n  - mount: /srv/data\n    device: LABEL=data\n"
                + "    fstype: ext4\n    ensure: mouted\n")))
                .containsExactly("roles/main.yaml:5:13: mount[/srv/data] ensure: 'mouted' is not one of mounted, present, "
                        + "absent; did you mean 'mounted'?");
    }
}

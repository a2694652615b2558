package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.plumb.catalog.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.databind.JsonNode;

/** {@code plumb schema} prints a JSON Schema that editors can hold project files to. */
class SchemaCommandTest {

    private static final Path EXAMPLES = Path.of("../examples");

    @Test
    void everyExampleProjectFileMatchesTheSchema() throws IOException {
        List<Path> files = exampleFiles();
        assertThat(files).as("plumb.yaml, inventory.yaml and roles of every example").hasSizeGreaterThanOrEqualTo(6);
        Schema any = schema();
        for (Path file : files) {
            assertThat(any.validate(yaml(Files.readString(file)))).as(file.toString()).isEmpty();
        }
        assertThat(schema("project").validate(yaml(Files.readString(EXAMPLES.resolve("quickstart/plumb.yaml"))))).isEmpty();
        assertThat(schema("inventory").validate(yaml(Files.readString(EXAMPLES.resolve("quickstart/inventory.yaml")))))
                .isEmpty();
        assertThat(schema("role").validate(yaml(Files.readString(EXAMPLES.resolve("quickstart/roles/web.yaml"))))).isEmpty();
    }

    @Test
    void aMisspeltAttributeIsRejectedNamingIt() {
        List<Error> errors = schema("role").validate(yaml("""
                resources:
                  - file: /etc/motd
                    mdoe: "0644"
                """));
        assertThat(errors).isNotEmpty();
        assertThat(errors.toString()).contains("mdoe");
        assertThat(schema("role").validate(yaml("""
                resources:
                  - file: /etc/motd
                    mode: "0644"
                    content: "{{ greeting }}"
                checks:
                  - http: http://localhost:8080/
                    status: 200
                    retries: "{{ retries }}"
                """))).isEmpty();
    }

    @Test
    void projectFactsAreDescribedAndAMisspeltOneRejected() {
        assertThat(schema("project").validate(yaml("""
                name: p
                facts:
                  sshd_version: { command: "ssh -V", pattern: "OpenSSH_([0-9.]+)" }
                """))).isEmpty();
        assertThat(schema("project").validate(yaml("facts:\n  sshd_version: { comand: \"ssh -V\" }\n")).toString())
                .contains("comand");
        assertThat(schema("project").validate(yaml("facts:\n  Sshd-Version: { command: \"ssh -V\" }\n"))).isNotEmpty();
    }

    @Test
    void aChoiceOfWordsIsAnEnumAndTemplatesStillPass() {
        assertThat(schema("role").validate(yaml("resources:\n  - package: nginx\n    ensure: prsent\n"))).isNotEmpty();
        assertThat(schema("role").validate(yaml("resources:\n  - package: nginx\n    ensure: \"{{ state }}\"\n"))).isEmpty();
        assertThat(schema("role").validate(yaml("checks:\n  - port: 22\n    listening: maybe\n"))).isNotEmpty();
        assertThat(schema("role").validate(yaml("resources:\n  - file: /etc/motd\n    mode: 644\n")))
                .as("YAML reads an unquoted mode as a decimal number").isNotEmpty();
    }

    @Test
    void attributesCarryTheirDescriptions() {
        String printed = InProcess.plumb(List.of("schema", "role")).out();
        assertThat(printed).contains("\"resource.file\"", "\"check.http\"", "A file under files/ to copy byte for byte");
        assertThat(InProcess.plumb(List.of("schema", "roles")).err())
                .contains("'roles' is not a kind of project file; expected project, inventory or role");
    }

    private static List<Path> exampleFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> projects = Files.list(EXAMPLES)) {
            for (Path project : projects.filter(Files::isDirectory).sorted().toList()) {
                files.add(project.resolve("plumb.yaml"));
                files.add(project.resolve("inventory.yaml"));
                try (Stream<Path> roles = Files.list(project.resolve("roles"))) {
                    roles.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(files::add);
                }
            }
        }
        return files;
    }

    private static Schema schema(String... file) {
        InProcess printed = InProcess.plumb(Stream.concat(Stream.of("schema"), Stream.of(file)).toList());
        assertThat(printed.exit()).as(printed.err()).isZero();
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(printed.out());
    }

    private static JsonNode yaml(String text) {
        return Json.MAPPER.valueToTree(new Load(LoadSettings.builder().build()).loadFromString(text));
    }
}

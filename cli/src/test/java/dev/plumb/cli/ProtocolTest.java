package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.plumb.catalog.Json;
import dev.plumb.compiler.ProjectFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The protocol of {@code docs/protocol.md} as the plumb command speaks it: real catalogs and reports validated
 * against {@code docs/catalog.schema.json} and {@code docs/report.schema.json}, and the project's git commit in both.
 */
class ProtocolTest {

    @TempDir
    Path dir;

    private ProjectFiles project;
    private Path target;

    @BeforeEach
    void writeProject() throws Exception {
        target = Files.createDirectory(dir.resolve("target"));
        project = new ProjectFiles(Files.createDirectory(dir.resolve("project"))).role("""
                resources:
                  - file: "{{ root }}/app.conf"
                    content: "port = 8080\\n"
                    mode: "0640"
                    notify: exec:reload
                  - exec: reload
                    command: "true"
                    refreshonly: true
                  - exec: broken
                    command: "exit 3"
                  - file: "{{ root }}/after-broken"
                    content: "y\\n"
                    requires: exec:broken
                checks:
                  - command: "true"
                """);
    }

    @Test
    void reportsOfEveryCommandMatchTheReportSchema() throws Exception {
        Schema schema = schema("report.schema.json");
        for (String command : List.of("plan", "apply", "check")) {
            JsonNode reports = Json.MAPPER.readTree(plumb(command, "--format", "json"));

            assertThat(reports.isArray()).as(command + " prints an array of reports").isTrue();
            for (JsonNode report : reports) {
                assertThat(schema.validate(report)).as(command + ": " + report).isEmpty();
            }
        }
    }

    @Test
    void aReportSaysWhatChangedAsTypedEntriesAndWhyAResourceFailed() throws Exception {
        JsonNode report = Json.MAPPER.readTree(plumb("apply", "--format", "json")).get(0);
        JsonNode resources = report.get("resources");

        JsonNode created = resources.get(0).get("changes").get(0);
        assertThat(created.get("attribute").asString()).isEqualTo("ensure");
        assertThat(created.get("before").isNull()).isTrue();
        assertThat(created.get("after").asString()).isEqualTo("file");
        assertThat(created.get("summary").asString()).isEqualTo("create file, mode 0640");
        assertThat(resources.get(1).get("changes").get(0).get("attribute").asString()).isEqualTo("command");
        assertThat(resources.get(2).get("failure").asString()).isEqualTo("COMMAND_FAILED");
        assertThat(resources.get(3).get("failure").asString()).isEqualTo("DEPENDENCY_FAILED");

        Files.writeString(target.resolve("app.conf"), "port = 9090\n");
        Files.setPosixFilePermissions(target.resolve("app.conf"), PosixFilePermissions.fromString("rw-rw-rw-"));
        JsonNode drift = Json.MAPPER.readTree(plumb("check", "--format", "json")).get(0).get("resources").get(0).get("changes");
        assertThat(drift.get(1).get("attribute").asString()).isEqualTo("mode");
        assertThat(drift.get(1).get("before").asString()).isEqualTo("0666");
        assertThat(drift.get(1).get("after").asString()).isEqualTo("0640");
        assertThat(drift.get(1).get("summary").isNull()).isTrue();
    }

    @Test
    void aPlanShowsNoneOfTheOldContentOfAFileNotEveryoneMayReadOrOfAKeyFile() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(target.resolve("db.conf"), "password=TOPSECRET\n");
        Files.setPosixFilePermissions(target.resolve("db.conf"), PosixFilePermissions.fromString("rw-------"));
        Files.writeString(target.resolve("tls.key"), "KEYMATERIAL\n");
        Files.setPosixFilePermissions(target.resolve("tls.key"), PosixFilePermissions.fromString("rw-r--r--"));
        project.role("""
                resources:
                  - file: "{{ root }}/db.conf"
                    content: "password=new\\n"
                  - file: "{{ root }}/tls.key"
                    content: "new\\n"
                """);

        String json = plumb("plan", "--format", "json");
        String text = plumb("plan");

        for (String output : List.of(json, text)) {
            assertThat(output).contains("(content not shown: " + target.resolve("db.conf") + " is not readable by every user)")
                    .contains("(content not shown: " + target.resolve("tls.key") + " is sensitive)")
                    .doesNotContain("TOPSECRET").doesNotContain("KEYMATERIAL");
        }
        JsonNode resources = Json.MAPPER.readTree(json).get(0).get("resources");
        for (JsonNode resource : resources) {
            assertThat(resource.get("changes").get(0).get("before").asString()).isEqualTo("(sensitive)");
        }
    }

    @Test
    void theCatalogMatchesTheCatalogSchema() throws Exception {
        JsonNode catalog = Json.MAPPER.readTree(plumb("catalog", "local"));

        assertThat(schema("catalog.schema.json").validate(catalog)).as(catalog.toString()).isEmpty();
        assertThat(catalog.has("source")).as("not a git checkout: no commit").isFalse();
    }

    @Test
    void aProjectInGitNamesItsCommitInTheCatalogAndTheReport() throws Exception {
        git("init", "--quiet");
        git("add", ".");
        git("-c", "user.name=plumb", "-c", "user.email=plumb@localhost", "commit", "--quiet", "-m", "first");
        String head = git("rev-parse", "HEAD").strip();

        JsonNode catalog = Json.MAPPER.readTree(plumb("catalog", "local"));
        assertThat(schema("catalog.schema.json").validate(catalog)).isEmpty();
        assertThat(catalog.get("source").get("commit").asString()).isEqualTo(head);
        assertThat(catalog.get("source").get("dirty").asBoolean()).isFalse();

        project.write("notes.txt", "not committed\n");
        JsonNode report = Json.MAPPER.readTree(plumb("plan", "--format", "json")).get(0);
        assertThat(schema("report.schema.json").validate(report)).isEmpty();
        assertThat(report.get("source").get("commit").asString()).isEqualTo(head);
        assertThat(report.get("source").get("dirty").asBoolean()).isTrue();
    }

    private String plumb(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-p", project.directory().toString(), "--var", "root=" + target));
        if (!args[0].equals("catalog")) {
            all.addAll(List.of("--state-dir", dir.resolve("state").toString()));
        }
        InProcess run = InProcess.plumb(all);
        assertThat(run.exit()).as(run.err()).isNotEqualTo(1);
        return run.out();
    }

    private String git(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("git", "-C", project.directory().toString()));
        argv.addAll(List.of(args));
        Process git = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(git.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(git.exitValue()).as(output).isZero();
        return output;
    }

    private static Schema schema(String name) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("../docs", name))) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
    }
}

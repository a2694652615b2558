package dev.plumb.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.catalog.CatalogResource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A project that has not changed is not compiled again; any change to what a catalog comes from is. */
class CatalogCacheTest {

    @TempDir
    Path dir;

    private ProjectFiles project;
    private Path state;
    private final Map<String, Object> vars = new HashMap<>();
    private final Map<String, Object> facts = new HashMap<>(Map.of("hostname", "box", "cpus", 2));

    @BeforeEach
    void writeProject() {
        project = new ProjectFiles(dir.resolve("project")).role("""
                vars:
                  greeting: hello
                resources:
                  - file: /etc/motd
                    template: motd.j2
                """).write("templates/motd.j2", "{{ greeting }} {{ who }} on {{ facts.hostname }}\n");
        vars.put("who", "world");
        state = dir.resolve("state");
    }

    private Map<String, CompiledCatalog> compile(String build) throws CompileException {
        return new CatalogCache(state, build).compileAll(new Compiler(ProjectLoader.load(project.directory())),
                List.of("local"), vars, host -> facts);
    }

    private String motd(String build) throws CompileException {
        CatalogResource motd = compile(build).get("local").catalog().resources().get(0);
        return (String) motd.attributes().get("content");
    }

    private Path entry() throws IOException {
        try (var entries = Files.list(state.resolve("catalogs"))) {
            return entries.findFirst().orElseThrow();
        }
    }

    private Object inodeOfEntry() throws IOException {
        return Files.readAttributes(entry(), "unix:ino").get("ino");
    }

    @Test
    void anUnchangedProjectIsNotCompiledAgain() throws Exception {
        assertThat(motd("build 1")).isEqualTo("hello world on box\n");
        Object written = inodeOfEntry();

        assertThat(motd("build 1")).isEqualTo("hello world on box\n");

        // A compile would have written its catalog anew, to a new file renamed over the entry.
        assertThat(inodeOfEntry()).isEqualTo(written);
    }

    @Test
    void aChangedTemplateIsRenderedAgain() throws Exception {
        motd("build 1");
        project.write("templates/motd.j2", "bye {{ who }}\n");

        assertThat(motd("build 1")).isEqualTo("bye world\n");
    }

    @Test
    void aChangedVarInTheProjectOrOnTheCommandLineIsPickedUp() throws Exception {
        motd("build 1");
        project.role("""
                vars:
                  greeting: howdy
                resources:
                  - file: /etc/motd
                    template: motd.j2
                """);
        assertThat(motd("build 1")).isEqualTo("howdy world on box\n");

        vars.put("who", "folks");
        assertThat(motd("build 1")).isEqualTo("howdy folks on box\n");
    }

    @Test
    void aChangedFactIsPickedUp() throws Exception {
        motd("build 1");
        facts.put("hostname", "other");

        assertThat(motd("build 1")).isEqualTo("hello world on other\n");
    }

    @Test
    void anotherBuildOfPlumbCompilesAgain() throws Exception {
        motd("build 1");
        Object written = inodeOfEntry();

        motd("build 2");

        assertThat(inodeOfEntry()).isNotEqualTo(written);
    }

    @Test
    void entriesArePrivateAndOneOthersCouldWriteIsNeverRead() throws Exception {
        motd("build 1");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("catalogs")))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(entry()))).isEqualTo("rw-------");

        // Someone who could write the entry could make the next apply run anything: such an entry is ignored.
        Path entry = entry();
        Files.writeString(entry, Files.readString(entry).replace("hello world on box", "planted"));
        Files.setPosixFilePermissions(entry, PosixFilePermissions.fromString("rw-rw-rw-"));

        assertThat(motd("build 1")).isEqualTo("hello world on box\n");
    }
}

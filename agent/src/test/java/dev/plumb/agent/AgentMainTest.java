package dev.plumb.agent;

import static dev.plumb.Fixtures.catalog;
import static dev.plumb.Fixtures.content;
import static dev.plumb.Fixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.catalog.Catalog;
import dev.plumb.catalog.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentMainTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return AgentMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path write(Catalog catalog) throws IOException {
        return Files.write(dir.resolve("catalog.json"), Json.MAPPER.writeValueAsBytes(catalog));
    }

    private String stateDir() {
        return dir.resolve("state").toString();
    }

    private Catalog motd() {
        return catalog(resource("file", dir.resolve("motd").toString(), content("hello\n")));
    }

    @Test
    void firstApplyExitsWithTwoAndSecondWithZero() throws Exception {
        Path catalogFile = write(motd());

        int first = run("apply", catalogFile.toString(), "--state-dir", stateDir());
        String firstOut = out();
        int second = run("apply", catalogFile.toString(), "--state-dir", stateDir());

        assertThat(first).as(err()).isEqualTo(2);
        assertThat(firstOut).startsWith("+ file[" + dir.resolve("motd") + "]\n").contains("local: 1 resources, 1 changed, 0 failed");
        assertThat(Files.readString(dir.resolve("motd"))).isEqualTo("hello\n");
        assertThat(second).isZero();
        assertThat(out()).startsWith("local: 1 resources, 0 changed, 0 failed");
        assertThat(err()).isEmpty();
    }

    @Test
    void everyRunKeepsItsReportInTheStateDirectory() throws Exception {
        Path catalogFile = write(motd());

        run("plan", catalogFile.toString(), "--state-dir", stateDir());
        run("apply", catalogFile.toString(), "--state-dir", stateDir());

        try (Stream<Path> reports = Files.list(dir.resolve("state").resolve("reports"))) {
            assertThat(reports.map(p -> p.getFileName().toString()).toList())
                    .hasSize(2).allSatisfy(name -> assertThat(name).endsWith(".json").contains("-local-"));
        }
    }

    @Test
    void aPlanChangesNothingAndExitsWithTwo() throws Exception {
        Path catalogFile = write(motd());

        int code = run("plan", catalogFile.toString(), "--state-dir", stateDir());

        assertThat(code).isEqualTo(2);
        assertThat(out()).contains("+ file[" + dir.resolve("motd") + "]").contains("1 to change");
        assertThat(dir.resolve("motd")).doesNotExist();
    }

    @Test
    void jsonFormatPrintsTheReport() throws Exception {
        Path catalogFile = write(motd());

        int code = run("check", catalogFile.toString(), "--format", "json", "--state-dir", stateDir());

        assertThat(code).isEqualTo(2);
        Map<?, ?> report = Json.MAPPER.readValue(out(), Map.class);
        assertThat(report.get("mode")).isEqualTo("CHECK");
        assertThat(report.get("host")).isEqualTo("local");
    }

    @Test
    void aFailingResourceExitsWithFour() throws Exception {
        Path catalogFile = write(catalog(resource("file", dir.resolve("missing").resolve("f").toString(), content("x\n"))));

        int code = run("apply", catalogFile.toString(), "--state-dir", stateDir());

        assertThat(code).isEqualTo(4);
        assertThat(out()).contains("! file[" + dir.resolve("missing").resolve("f") + "] failed: parent directory");
    }

    @Test
    void aMissingCatalogFileExitsWithOneAndNamesIt() {
        Path missing = dir.resolve("nope.json");

        int code = run("apply", missing.toString(), "--state-dir", stateDir());

        assertThat(code).isEqualTo(1);
        assertThat(err()).startsWith(missing + ": ");
        assertThat(out()).isEmpty();
    }

    @Test
    void aMissingCatalogFileIsReportedAsMissing() {
        Path missing = dir.resolve("nope.json");

        run("apply", missing.toString(), "--state-dir", stateDir());

        assertThat(err()).contains("no such file");
    }

    @Test
    void badJsonExitsWithOneSayingItIsNotACatalog() throws Exception {
        Path catalogFile = Files.writeString(dir.resolve("catalog.json"), "{\"version\": 1, \"resources\": [");

        int code = run("apply", catalogFile.toString(), "--state-dir", stateDir());

        assertThat(code).isEqualTo(1);
        assertThat(err()).startsWith(catalogFile + ": not a plumb catalog: ");
        assertThat(dir.resolve("state")).doesNotExist();
    }

    @Test
    void anUnknownPropertyIsNotACatalog() throws Exception {
        Path catalogFile = Files.writeString(dir.resolve("catalog.json"),
                "{\"version\": 1, \"host\": {\"name\": \"h\", \"env\": \"e\", \"groups\": []}, \"resources\": [], \"extra\": 1}");

        int code = run("apply", catalogFile.toString(), "--state-dir", stateDir());

        assertThat(code).isEqualTo(1);
        assertThat(err()).startsWith(catalogFile + ": not a plumb catalog: ").contains("extra");
    }

    @Test
    void anUnsupportedVersionExitsWithOne() throws Exception {
        Catalog future = new Catalog(Catalog.VERSION + 1, motd().host(), motd().resources());
        Path catalogFile = write(future);

        int code = run("apply", catalogFile.toString(), "--state-dir", stateDir());

        assertThat(code).isEqualTo(1);
        assertThat(err()).isEqualTo(catalogFile + ": catalog version " + (Catalog.VERSION + 1)
                + " is not supported; this agent reads version " + Catalog.VERSION + "\n");
        assertThat(dir.resolve("motd")).doesNotExist();
    }

    @Test
    void anInvalidCatalogExitsWithOneListingItsProblems() throws Exception {
        Path catalogFile = write(catalog(
                resource("file", dir.resolve("a").toString(), List.of("file:/nope"), List.of(), content("a\n"))));

        int code = run("apply", catalogFile.toString(), "--state-dir", stateDir());

        assertThat(code).isEqualTo(1);
        assertThat(err()).isEqualTo(catalogFile + ": invalid catalog, nothing was changed:\nfile[" + dir.resolve("a")
                + "] requires: refers to file:/nope, which is not declared\n");
        assertThat(dir.resolve("a")).doesNotExist();
    }

    @Test
    void badArgumentsPrintTheUsage() {
        assertThat(run()).isEqualTo(1);
        assertThat(err()).startsWith("usage: plumb-agent apply|plan|check");
        assertThat(run("destroy", "catalog.json")).isEqualTo(1);
        assertThat(err()).startsWith("usage: ");
        assertThat(run("apply", "catalog.json", "--verbose")).isEqualTo(1);
        assertThat(err()).startsWith("unknown argument '--verbose'\nusage: ");
    }
}

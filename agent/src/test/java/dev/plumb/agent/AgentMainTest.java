package dev.plumb.agent;

import static dev.plumb.Fixtures.catalog;
import static dev.plumb.Fixtures.content;
import static dev.plumb.Fixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.catalog.Catalog;
import dev.plumb.catalog.CatalogResource;
import dev.plumb.catalog.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
        Map<?, ?> report = Json.MAPPER.readValue(out(), Map[].class)[0];
        assertThat(report.get("mode")).isEqualTo("CHECK");
        assertThat(report.get("host")).isEqualTo("local");
    }

    @Test
    void aCatalogOfDashIsReadFromStandardInput() throws Exception {
        InputStream stdin = System.in;
        System.setIn(new ByteArrayInputStream(Json.MAPPER.writeValueAsBytes(motd())));
        try {
            int code = run("apply", "-", "--state-dir", stateDir());

            assertThat(code).as(err()).isEqualTo(2);
            assertThat(Files.readString(dir.resolve("motd"))).isEqualTo("hello\n");
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void notACatalogOnStandardInputIsNamedSo() throws Exception {
        InputStream stdin = System.in;
        System.setIn(new ByteArrayInputStream("[]".getBytes(StandardCharsets.UTF_8)));
        try {
            int code = run("apply", "-", "--state-dir", stateDir());

            assertThat(code).isEqualTo(1);
            assertThat(err()).startsWith("the catalog on standard input: not a plumb catalog");
        } finally {
            System.setIn(stdin);
        }
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
                + " is not supported; this agent reads versions 1 to " + Catalog.VERSION + "\n");
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

    @Test
    void thePullVerbsCheckTheirOptionsBeforeDoingAnything() {
        assertThat(run("enroll", "--host", "web1")).isEqualTo(1);
        assertThat(err()).startsWith("--server is required\nusage: plumb-agent enroll --server URL --host NAME --token TOKEN");
        assertThat(run("enroll", "--server", "http://plumb.example.com", "--host", "web1", "--token", "t")).isEqualTo(1);
        assertThat(err()).isEqualTo("--server http://plumb.example.com is not an https:// URL (such as "
                + "https://plumb.example.com:8443): plumb servers speak HTTPS only\n");
        assertThat(run("run", "--interval", "soon", "--state-dir", stateDir())).isEqualTo(1);
        assertThat(err()).startsWith("--interval 'soon' is not a duration: write 30m, 90s or 1.5m\nusage: ");
        assertThat(run("run", "--once", "--once")).isEqualTo(1);
        assertThat(err()).startsWith("--once is given twice\nusage: ");
        assertThat(dir.resolve("state")).doesNotExist();
    }

    @Test
    void aFormatIsAcceptedForTheModesThePlumbCommandAcceptsItFor() throws Exception {
        Path catalogFile = write(motd());

        assertThat(run("plan", catalogFile.toString(), "--format", "junit", "--state-dir", stateDir())).isEqualTo(1);
        assertThat(err()).startsWith("--format junit is not available for plan; use one of text, json\nusage: ");
        assertThat(out()).isEmpty();
        assertThat(run("apply", catalogFile.toString(), "--format", "nagios", "--state-dir", stateDir())).isEqualTo(1);
        assertThat(err()).startsWith("--format nagios is not available for apply; use one of text, json, junit, tap\n");
    }

    @Test
    void helpAndVersionAnswerOnStandardOutputWithZero() {
        assertThat(run("--help")).isZero();
        assertThat(out()).startsWith("usage: plumb-agent apply|plan|check CATALOG.json").contains("--lock-timeout SECONDS")
                .contains("\n       plumb-agent enroll --server URL --host NAME --token TOKEN [--state-dir DIR]\n");
        assertThat(err()).isEmpty();
        assertThat(run("--version")).isZero();
        assertThat(out()).isEqualTo("plumb-agent 0.1.0\n");
    }

    @Test
    void anUnwritableStateDirectoryIsFoundBeforeAnythingChanges() throws Exception {
        Path catalogFile = write(motd());
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "");

        int code = run("apply", catalogFile.toString(), "--state-dir", notADirectory.resolve("state").toString());

        assertThat(code).isEqualTo(1);
        assertThat(err()).startsWith("state directory " + notADirectory.resolve("state") + " is not writable (")
                .endsWith("); nothing was changed. Choose another with --state-dir or $PLUMB_STATE_DIR\n");
        assertThat(dir.resolve("motd")).doesNotExist();
    }

    @Test
    void aMissingStateDirectoryIsCreatedPrivate() throws Exception {
        Path catalogFile = write(motd());

        run("plan", catalogFile.toString(), "--state-dir", stateDir());

        assertThat(Files.getPosixFilePermissions(dir.resolve("state"))).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void anEmptyStateDirectoryIsAUsageError() throws Exception {
        Path catalogFile = write(motd());

        int code = run("apply", catalogFile.toString(), "--state-dir", "");

        assertThat(code).isEqualTo(1);
        assertThat(err()).isEqualTo("--state-dir is empty; name a directory, or leave the option out for the default\n");
        assertThat(dir.resolve("motd")).doesNotExist();
    }

    @Test
    void aFailedRefreshIsDoneByTheNextApplyAndThenForgotten() throws Exception {
        Path config = dir.resolve("app.conf");
        Path log = dir.resolve("reload.log");
        CatalogResource file = resource("file", config.toString(), List.of(), List.of("exec:reload"), content("v1\n"));
        Path broken = write(catalog(file, resource("exec", "reload", Map.of("command", "exit 1", "refreshonly", true))));
        assertThat(run("apply", broken.toString(), "--state-dir", stateDir())).isEqualTo(6);
        Path fixed = write(catalog(file, resource("exec", "reload",
                Map.of("command", "echo reloaded >> " + log, "refreshonly", true))));

        int plan = run("plan", fixed.toString(), "--state-dir", stateDir());
        String planned = out();
        int second = run("apply", fixed.toString(), "--state-dir", stateDir());
        String applied = out();
        int third = run("apply", fixed.toString(), "--state-dir", stateDir());

        assertThat(plan).isEqualTo(2);
        assertThat(planned).startsWith("~ exec[reload]\n    run 'echo reloaded >> " + log + "' (notified by file["
                + config + "] in an earlier run)\n");
        assertThat(second).isEqualTo(2);
        assertThat(applied).startsWith("~ exec[reload]\n").contains("local: 2 resources, 1 changed, 0 failed");
        assertThat(third).isZero();
        assertThat(Files.readAllLines(log)).containsExactly("reloaded");
    }

    @Test
    void anUnreadableRecordOfPendingRefreshesStopsTheRunBeforeAnythingChanges() throws Exception {
        Path catalogFile = write(motd());
        Path pending = Files.writeString(Files.createDirectories(dir.resolve("state")).resolve("pending-refresh.json"), "[");

        int code = run("apply", catalogFile.toString(), "--state-dir", stateDir());

        assertThat(code).isEqualTo(1);
        assertThat(err()).startsWith(pending + ": not a record of pending refreshes (")
                .endsWith("); nothing was changed. Remove it to forget the refreshes it holds\n");
        assertThat(dir.resolve("motd")).doesNotExist();
    }

    @Test
    void aNullWhereAListBelongsNamesItsJsonPath() throws Exception {
        Path catalogFile = Files.writeString(dir.resolve("catalog.json"), """
                {"version": 1, "host": {"name": "h", "env": "e", "groups": []}, "resources": [
                  {"type": "file", "name": "/a", "requires": [], "notify": [], "attributes": {}},
                  {"type": "file", "name": "/b", "requires": null, "notify": [], "attributes": {}}]}
                """);

        int code = run("apply", catalogFile.toString(), "--state-dir", stateDir());

        assertThat(code).isEqualTo(1);
        assertThat(err()).isEqualTo(catalogFile + ": not a plumb catalog: resources[1].requires: expected a list of "
                + "resource ids, got null\n");
    }

    @Test
    void aValueOfTheWrongTypeNamesItsJsonPathAndWhatWasExpected() throws Exception {
        Path catalogFile = Files.writeString(dir.resolve("catalog.json"), """
                {"version": 1, "host": {"name": "h", "env": "e", "groups": 5}, "resources": []}
                """);

        int code = run("apply", catalogFile.toString(), "--state-dir", stateDir());

        assertThat(code).isEqualTo(1);
        assertThat(err()).isEqualTo(catalogFile + ": not a plumb catalog: host.groups: expected a list, got a number\n");
    }

    @Test
    void aMissingHostNamesItsJsonPath() throws Exception {
        Path catalogFile = Files.writeString(dir.resolve("catalog.json"), "{\"version\": 1, \"resources\": []}");

        run("apply", catalogFile.toString(), "--state-dir", stateDir());

        assertThat(err()).isEqualTo(catalogFile + ": not a plumb catalog: host: expected an object with the host's "
                + "name, env and groups, got null\n");
    }
}

package dev.plumb.agent;

import static dev.plumb.Fixtures.content;
import static dev.plumb.Fixtures.resource;
import static dev.plumb.Fixtures.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.plumb.catalog.Catalog;
import dev.plumb.catalog.CatalogCheck;
import dev.plumb.catalog.HostInfo;
import dev.plumb.catalog.Json;
import dev.plumb.report.NagiosRenderer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.maven.plugin.surefire.log.api.NullConsoleLogger;
import org.apache.maven.plugins.surefire.report.ReportTestCase;
import org.apache.maven.plugins.surefire.report.ReportTestSuite;
import org.apache.maven.plugins.surefire.report.TestSuiteXmlParser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Every machine-readable format of a real agent run, read by the program that reads it in real life: TAP by Perl's
 * {@code prove} and TAP::Parser, JUnit XML by Maven Surefire's report parser, Nagios output against the plugin
 * guidelines' grammar, JSON against the report's JSON Schema ({@code docs/report.schema.json}).
 */
class MachineFormatsTest {

    /** Output that has broken consumers before: colons, a blank line, YAML's document end, '#', quotes, a bell. */
    private static final String AWKWARD = "printf 'cannot connect to 127.0.0.1:5432: refused\\n\\n...\\n# not a directive "
            + "\"quoted\" \\\\ back\\a\\n' >&2; exit 3";

    @TempDir
    Path dir;

    private Path catalogFile;

    @BeforeEach
    void writeCatalog() throws Exception {
        Catalog catalog = new Catalog(Catalog.VERSION, new HostInfo("local", "dev", List.of()), List.of(
                resource("file", dir.resolve("app.conf").toString(), content("port = 8080\nname: \"app\"\n")),
                resource("exec", "migrate", Map.of("command", AWKWARD))),
                List.of(new CatalogCheck("command", "true", Map.of()),
                        new CatalogCheck("command", AWKWARD, Map.of("name", "database # primary")),
                        new CatalogCheck("file", dir.resolve("app.conf").toString(), with(Map.of(), "contains", "port = 9090"))));
        catalogFile = Files.write(dir.resolve("catalog.json"), Json.MAPPER.writeValueAsBytes(catalog));
    }

    private record Run(int exitCode, String out) {
    }

    private Run agent(String mode, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = AgentMain.run(new String[] {mode, catalogFile.toString(), "--format", format, "--state-dir",
            dir.resolve("state").toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void tapIsReadByProveWithoutParseErrors() throws Exception {
        Run run = agent("apply", "tap");
        Path tap = Files.writeString(dir.resolve("run.tap"), run.out());

        Process prove = new ProcessBuilder("prove", "--exec", "cat", tap.toString()).redirectErrorStream(true).start();
        String output = new String(prove.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(prove.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(output).as(run.out()).doesNotContain("Parse errors").doesNotContain("Bad plan")
                .contains("Failed 3/4 subtests");
    }

    @Test
    void tapDiagnosticsReachTapParserWhole() throws Exception {
        Path tap = Files.writeString(dir.resolve("run.tap"), agent("apply", "tap").out());
        String script = """
                use TAP::Parser;
                open my $f, '<', $ARGV[0] or die; local $/; my $text = <$f>;
                my $parser = TAP::Parser->new({ tap => $text });
                while (my $result = $parser->next) {
                    print "details=", unpack('H*', $result->data->{details}), "\\n" if $result->is_yaml && $result->data->{details};
                }
                print "planned=", $parser->tests_planned, " run=", $parser->tests_run, " failed=", scalar($parser->failed),
                      " errors=", scalar($parser->parse_errors), "\\n";
                """;
        Process perl = new ProcessBuilder("perl", "-e", script, tap.toString()).redirectErrorStream(true).start();
        List<String> lines = new String(perl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(perl.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(lines).contains("planned=4 run=4 failed=3 errors=0");
        String checkDetails = lines.stream().filter(l -> l.startsWith("details=")).map(l -> hexToText(l.substring(8)))
                .filter(d -> d.startsWith("exit_code: expected 0, got 3")).findFirst().orElseThrow(() -> new AssertionError(lines));
        assertThat(checkDetails).contains("  cannot connect to 127.0.0.1:5432: refused\n  \n  ...\n  # not a directive "
                + "\"quoted\" \\ back");
    }

    @Test
    void junitXmlIsReadBySurefiresReportParser() throws Exception {
        Path xml = Files.writeString(dir.resolve("TEST-plumb.xml"), agent("apply", "junit").out());

        List<ReportTestSuite> suites;
        try (InputStream in = Files.newInputStream(xml)) {
            suites = new TestSuiteXmlParser(new NullConsoleLogger()).parse(new InputStreamReader(in, StandardCharsets.UTF_8));
        }

        assertThat(suites).hasSize(1);
        ReportTestSuite suite = suites.get(0);
        assertThat(suite.getNumberOfTests()).isEqualTo(4);
        assertThat(suite.getNumberOfFailures()).isEqualTo(3);
        assertThat(suite.getTestCases()).extracting(ReportTestCase::getName).containsExactly("resources converged", "command[true]",
                "database # primary (command[" + AWKWARD + "])", "file[" + dir.resolve("app.conf") + "]");
        assertThat(suite.getTestCases().get(0).getFailureMessage()).isEqualTo("1 failed");
        assertThat(suite.getTestCases().get(1).isSuccessful()).isTrue();
        assertThat(suite.getTestCases().get(2).getFailureDetail()).contains("cannot connect to 127.0.0.1:5432: refused");
    }

    /** The plugin guidelines: one status line, "TEXT | 'label'=value[UOM];[warn];[crit];[min];[max] ...". */
    private static final String PERFDATA = "('[^'=]+'|[^'= ]+)=-?[0-9.]+(s|us|ms|%|B|KB|MB|TB|c)?(;[0-9.]*){0,4}";

    @Test
    void nagiosOutputFollowsThePluginGuidelines() {
        Run run = agent("check", "nagios");
        List<String> lines = run.out().lines().toList();

        assertThat(run.exitCode()).isEqualTo(NagiosRenderer.CRITICAL);
        assertThat(lines.get(0)).matches("PLUMB CRITICAL - [^|]+ \\| " + PERFDATA + "( " + PERFDATA + ")*");
        assertThat(lines.subList(1, lines.size())).isNotEmpty().allSatisfy(line -> assertThat(line).doesNotContain("|"));
        assertThat(run.out().getBytes(StandardCharsets.UTF_8).length).as("Nagios 3 keeps 4 KB of plugin output").isLessThan(4096);
    }

    @Test
    void jsonReportsOfEveryModeMatchTheReportSchema() throws Exception {
        Schema schema;
        try (InputStream in = Files.newInputStream(Path.of("../docs/report.schema.json"))) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
        for (String mode : List.of("plan", "apply", "check")) {
            JsonNode reports = Json.MAPPER.readTree(agent(mode, "json").out());
            assertThat(reports.isArray()).as(mode + ": an array of reports").isTrue();
            assertThat(reports.size()).isEqualTo(1);
            List<Error> errors = schema.validate(reports.get(0));
            assertThat(errors).as(mode + ": " + reports).isEmpty();
        }
    }

    private static String hexToText(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}

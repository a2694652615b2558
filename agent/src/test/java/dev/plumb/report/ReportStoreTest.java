package dev.plumb.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.catalog.Mode;
import dev.plumb.catalog.RunReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reports kept and shown, whoever wrote them: a host's report names no file outside the store, forges no line. */
class ReportStoreTest {

    @TempDir
    Path dir;

    private static RunReport report(String startedAt, String host, String runId) {
        return RunReport.unreachable(runId, host, Mode.APPLY, startedAt, "refused");
    }

    @Test
    void aReportIsNamedByItsTimeHostAndRunId() throws Exception {
        Path file = new ReportStore(dir).save(report("2026-11-22T04:35:00.123Z", "web1",
                "0f4c2f5e-9d1a-4b7e-8c55-2a4b1c3d4e5f"));

        assertThat(file).hasFileName("2026-11-22T04-35-00.123Z-web1-0f4c2f5e-9d1a-4b7e-8c55-2a4b1c3d4e5f.json")
                .hasParentRaw(dir.resolve("reports"));
    }

    @Test
    void aReportWhoseValuesArePathsStaysInTheStore() throws Exception {
        Path victim = Files.createDirectories(dir.resolve("victim"));

        Path file = new ReportStore(dir.resolve("state")).save(report(victim + "/pwned", "../../victim/x", "/../../y"));

        assertThat(file.getParent()).isEqualTo(dir.resolve("state/reports"));
        try (Stream<Path> written = Files.list(victim)) {
            assertThat(written).isEmpty();
        }
        try (Stream<Path> stored = Files.list(dir.resolve("state/reports"))) {
            assertThat(stored).singleElement().satisfies(name ->
                    assertThat(name.getFileName().toString()).matches("[A-Za-z0-9._-]+\\.json").doesNotContain("/"));
        }
    }

    @Test
    void aHostNameWithControlCharactersIsShownEscapedInItsHeader() {
        StringWriter text = new StringWriter();
        ReportOutput output = new ReportOutput(Format.text, false, List.of("web1", "web2"), new PrintWriter(text));

        output.add(report("2026-11-22T04:35:00Z", "web1 ==\n== web2", "r"));
        output.finish();

        assertThat(text.toString()).startsWith("== web1 ==^J== web2 ==\n");
    }
}

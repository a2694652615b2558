package dev.plumb.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.api.Action;
import dev.plumb.api.Change;
import dev.plumb.api.FailureKind;
import dev.plumb.api.Mismatch;
import dev.plumb.catalog.CheckReport;
import dev.plumb.catalog.CheckResult;
import dev.plumb.catalog.CheckStatus;
import dev.plumb.catalog.Json;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.ResourceResult;
import dev.plumb.catalog.RunReport;
import dev.plumb.catalog.Status;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a terminal shows of a report whose paths, diffs, errors and evidence hold control characters. */
class TextRendererTest {

    private static RunReport report(ResourceResult... results) {
        List<ResourceResult> resources = List.of(results);
        return new RunReport("run-1", "local", Mode.PLAN, "sha", null, "2026-11-22T04:35:00Z", 8,
                new RunReport.Summary(resources.size(), 1, 0, 0), resources, null);
    }

    @Test
    void aCarriageReturnInADiffLineCannotHideWhatComesBeforeIt() {
        ResourceResult change = new ResourceResult("file:/etc/cron.d/job", Status.WOULD_CHANGE, Action.CREATE,
                List.of(created("create file")), "--- /dev/null\n+++ /etc/cron.d/job\n@@ -0,0 +1 @@\n+rm -rf /important\r# harmless comment",
                List.of(), null, null, 10);

        String text = new TextRenderer(false).render(report(change));

        assertThat(text).isEqualTo("""
                + file[/etc/cron.d/job]
                    create file
                    --- /dev/null
                    +++ /etc/cron.d/job
                    @@ -0,0 +1 @@
                    +rm -rf /important^M# harmless comment
                local: 1 resources, 1 to change, 0 failed (8 ms)
                """);
    }

    @Test
    void aNewlineInAPathCannotForgeAnOutputLine() {
        String path = "/tmp/x\nlocal: 0 resources, 0 to change, 0 failed (1 ms)";
        ResourceResult change = new ResourceResult("file:" + path, Status.WOULD_CHANGE, Action.CREATE,
                List.of(created("create file " + path)), null, List.of(), null, null, 10);

        String text = new TextRenderer(false).render(report(change));

        assertThat(text.lines()).containsExactly(
                "+ file[/tmp/x^Jlocal: 0 resources, 0 to change, 0 failed (1 ms)]",
                "    create file /tmp/x^Jlocal: 0 resources, 0 to change, 0 failed (1 ms)",
                "local: 1 resources, 1 to change, 0 failed (8 ms)");
    }

    @Test
    void escapeSequencesAndOtherControlsInErrorsAndEvidenceAreShownNotObeyed() {
        ResourceResult failed = new ResourceResult("exec:x\u001b[2J", Status.FAILED, Action.NONE, List.of(), null,
                List.of(), "'x' exited with 1:\nline one\u001b]0;owned\u0007\nline\u0085two\u007f", FailureKind.COMMAND_FAILED, 10);
        CheckResult check = new CheckResult("command[probe\u202e]", null, CheckStatus.FAILED,
                List.of(new Mismatch("stdout_contains", "'ok'", "'\u001b[31mok'")), null, "out\r\tput", 1, 5);
        RunReport report = new RunReport(RunReport.SCHEMA_VERSION, "run-1", "local", Mode.CHECK, "sha", null,
                "2026-11-22T04:35:00Z", 8, new RunReport.Summary(1, 0, 1, 0), List.of(failed), null,
                CheckReport.of(List.of(check), 5));

        String text = new TextRenderer(false).render(report);

        assertThat(text).isEqualTo("""
                ! exec[x^[[2J] failed: 'x' exited with 1:
                    line one^[]0;owned^G
                    line<U+0085>two^?
                local: 1 resources, 0 drifted, 1 failed (8 ms)
                ! command[probe<U+202E>] check failed
                    stdout_contains: expected 'ok', got '^[[31mok'
                    | out^M\tput
                local: 1 check, 0 passed, 1 failed (5 ms)
                """);
    }

    @Test
    void jsonKeepsTheExactText() {
        ResourceResult change = new ResourceResult("file:/a\rb", Status.WOULD_CHANGE, Action.CREATE,
                List.of(created("create\u001b")), null, List.of(), null, null, 10);

        Map<?, ?> read = Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(report(change)), Map.class);

        assertThat(read.get("resources").toString()).contains("file:/a\rb").contains("create\u001b");
    }

    private static Change.Entry created(String summary) {
        return new Change.Entry(Action.CREATE, "ensure", "absent", "file", summary);
    }
}

package dev.plumb.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.api.Action;
import dev.plumb.api.Change;
import dev.plumb.api.Mismatch;
import dev.plumb.catalog.CheckReport;
import dev.plumb.catalog.CheckResult;
import dev.plumb.catalog.CheckStatus;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.ResourceResult;
import dev.plumb.catalog.RunReport;
import dev.plumb.catalog.Status;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Each output format of check results, read back the way its consumer reads it. */
class CheckOutputTest {

    private static final CheckResult HEALTH = new CheckResult("http[http://localhost:8080/health]", "health page",
            CheckStatus.PASSED, List.of(), null, null, 1, 12);
    private static final CheckResult SSH = new CheckResult("port[22]", null, CheckStatus.PASSED, List.of(), null, null, 3, 2040);
    private static final CheckResult DOWN = new CheckResult("http[http://localhost:8080/a?b=1&c=<2>]", null, CheckStatus.FAILED,
            List.of(new Mismatch("status", "200", "503"), new Mismatch("body_contains", "'ok'", "a body without it (21 bytes)")),
            null, "HTTP 503 from http://localhost:8080/a\ndown for \"maintenance\"\u0007", 1, 30);
    private static final CheckResult REFUSED = new CheckResult("command[pg_isready]", "database", CheckStatus.FAILED,
            List.of(), "'pg_isready': timed out after 5 s", null, 2, 10_050);

    private static RunReport report(String host, Mode mode, List<ResourceResult> resources, CheckResult... checks) {
        int changed = (int) resources.stream().filter(r -> r.status() == Status.WOULD_CHANGE || r.status() == Status.CHANGED).count();
        int failed = (int) resources.stream().filter(r -> r.status() == Status.FAILED).count();
        return new RunReport(RunReport.SCHEMA_VERSION, "run-1", host, mode, "sha", null, "2026-11-22T04:35:00.123Z", 8,
                new RunReport.Summary(resources.size() + 3, changed, failed, 0), resources, null,
                CheckReport.of(List.of(checks), 2050));
    }

    private static final ResourceResult DRIFTED = new ResourceResult("file:/etc/app.conf", Status.WOULD_CHANGE, Action.CHANGE,
            List.of(new Change.Entry(Action.CHANGE, "content", "1f3c", "9ab0", "content changed"),
                    new Change.Entry(Action.CHANGE, "mode", "0666", "0640", null)), null, List.of(), null, null, 100);

    private static Document parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void junitXmlHasASuitePerHostAndATestPerCheck() throws Exception {
        String xml = new JUnitRenderer().render(List.of(report("local", Mode.CHECK, List.of(DRIFTED), HEALTH, DOWN, REFUSED),
                report("web1", Mode.CHECK, List.of(), SSH)));
        Element root = parse(xml).getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("testsuites");
        assertThat(root.getAttribute("tests")).isEqualTo("6");
        assertThat(root.getAttribute("failures")).isEqualTo("3");
        assertThat(root.getAttribute("errors")).isEqualTo("0");
        NodeList suites = root.getElementsByTagName("testsuite");
        assertThat(suites.getLength()).isEqualTo(2);
        Element local = (Element) suites.item(0);
        assertThat(local.getAttribute("name")).isEqualTo("local");
        assertThat(local.getAttribute("tests")).isEqualTo("4");
        assertThat(local.getAttribute("failures")).isEqualTo("3");
        assertThat(local.getAttribute("timestamp")).isEqualTo("2026-11-22T04:35:00");
        NodeList cases = local.getElementsByTagName("testcase");
        assertThat(((Element) cases.item(0)).getAttribute("name")).isEqualTo("resources in sync");
        Element drift = (Element) ((Element) cases.item(0)).getElementsByTagName("failure").item(0);
        assertThat(drift.getAttribute("message")).isEqualTo("1 resource drifted");
        assertThat(drift.getTextContent()).isEqualTo("~ file[/etc/app.conf]: content changed; mode changed '0666' to '0640'");

        Element health = (Element) cases.item(1);
        assertThat(health.getAttribute("name")).isEqualTo("health page (http[http://localhost:8080/health])");
        assertThat(health.getAttribute("classname")).isEqualTo("local");
        assertThat(health.getAttribute("time")).isEqualTo("0.012");
        assertThat(health.getElementsByTagName("failure").getLength()).isZero();

        Element down = (Element) cases.item(2);
        assertThat(down.getAttribute("name")).isEqualTo("http[http://localhost:8080/a?b=1&c=<2>]");
        Element failure = (Element) down.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message"))
                .isEqualTo("status: expected 200, got 503; body_contains: expected 'ok', got a body without it (21 bytes)");
        assertThat(failure.getTextContent()).isEqualTo("status: expected 200, got 503\n"
                + "body_contains: expected 'ok', got a body without it (21 bytes)\n"
                + "HTTP 503 from http://localhost:8080/a\ndown for \"maintenance\"?");

        Element refused = (Element) ((Element) cases.item(3)).getElementsByTagName("failure").item(0);
        assertThat(refused.getAttribute("message")).isEqualTo("'pg_isready': timed out after 5 s");
        assertThat(refused.getTextContent()).isEqualTo("'pg_isready': timed out after 5 s\nafter 2 attempts");
    }

    @Test
    void junitXmlReportsAnUnreachableHostAsAnError() throws Exception {
        RunReport unreachable = RunReport.unreachable("run-2", "web1", Mode.CHECK, "2026-11-22T04:35:00Z",
                "not reachable: SSH transport is not available yet");
        Element root = parse(new JUnitRenderer().render(List.of(unreachable))).getDocumentElement();
        assertThat(root.getAttribute("errors")).isEqualTo("1");
        Element error = (Element) root.getElementsByTagName("error").item(0);
        assertThat(error.getAttribute("message")).isEqualTo("not reachable: SSH transport is not available yet");
    }

    @Test
    void tapHasAPlanAndANumberedLinePerTest() {
        String tap = new TapRenderer().render(List.of(report("local", Mode.CHECK, List.of(), HEALTH, DOWN)));
        assertThat(tap).isEqualTo("""
                TAP version 13
                1..3
                ok 1 - resources in sync
                ok 2 - health page (http[http://localhost:8080/health])
                not ok 3 - http[http://localhost:8080/a?b=1&c=<2>]
                  ---
                  message: "status: expected 200, got 503; body_contains: expected 'ok', got a body without it (21 bytes)"
                  severity: fail
                  details: "status: expected 200, got 503\\nbody_contains: expected 'ok', got a body without it (21 bytes)\\nHTTP 503 from http://localhost:8080/a\\ndown for \\"maintenance\\"\\x07"
                  ...
                """);
    }

    @Test
    void tapNamesTheHostOfEachTestWhenThereAreSeveral() {
        String tap = new TapRenderer().render(List.of(report("local", Mode.APPLY, List.of(), HEALTH),
                report("web1", Mode.APPLY, List.of(), SSH)));
        List<String> lines = tap.lines().toList();
        assertThat(lines.get(1)).isEqualTo("1..4");
        assertThat(lines.stream().filter(l -> l.matches("(not )?ok \\d+ - .*")).toList()).containsExactly(
                "ok 1 - local: resources converged", "ok 2 - local: health page (http[http://localhost:8080/health])",
                "ok 3 - web1: resources converged", "ok 4 - web1: port[22]");
    }

    @Test
    void nagiosSaysOkWarningCriticalOrUnknownInOneLineWithPerformanceData() {
        NagiosRenderer nagios = new NagiosRenderer();
        NagiosRenderer.Result ok = nagios.render(List.of(report("local", Mode.CHECK, List.of(), HEALTH, SSH)));
        assertThat(ok.exitCode()).isEqualTo(NagiosRenderer.OK);
        assertThat(ok.output()).isEqualTo("PLUMB OK - 2 checks passed, no drift | checks=2 failed=0 drift=0 time=2.058s\n");

        NagiosRenderer.Result warning = nagios.render(List.of(report("local", Mode.CHECK, List.of(DRIFTED), HEALTH)));
        assertThat(warning.exitCode()).isEqualTo(NagiosRenderer.WARNING);
        assertThat(warning.output()).isEqualTo("PLUMB WARNING - 1 check passed, 1 resource drifted "
                + "| checks=1 failed=0 drift=1 time=2.058s\n~ file[/etc/app.conf]: content changed; mode changed '0666' to '0640'\n");

        NagiosRenderer.Result critical = nagios.render(List.of(report("local", Mode.CHECK, List.of(DRIFTED), HEALTH, DOWN, REFUSED)));
        assertThat(critical.exitCode()).isEqualTo(NagiosRenderer.CRITICAL);
        assertThat(critical.output().lines().findFirst().orElseThrow()).isEqualTo("PLUMB CRITICAL - 2 of 3 checks failed "
                + "(http[http://localhost:8080/a?b=1&c=<2>], command[pg_isready]), 1 resource drifted "
                + "| checks=3 failed=2 drift=1 time=2.058s");
        assertThat(critical.output().lines().skip(1).toList()).containsExactly(
                "~ file[/etc/app.conf]: content changed; mode changed '0666' to '0640'",
                "http[http://localhost:8080/a?b=1&c=<2>]: status: expected 200, got 503; body_contains: expected 'ok', got a body "
                        + "without it (21 bytes)",
                "database (command[pg_isready]): 'pg_isready': timed out after 5 s");

        NagiosRenderer.Result unknown = nagios.render(List.of(RunReport.unreachable("r", "web1", Mode.CHECK, "now",
                "not reachable: SSH transport is not available yet")));
        assertThat(unknown.exitCode()).isEqualTo(NagiosRenderer.UNKNOWN);
        assertThat(unknown.output()).startsWith("PLUMB UNKNOWN - 0 checks passed, no drift, not reachable: web1 | checks=0");
        assertThat(NagiosRenderer.unknown("roles/web.yaml:3:5: unknown key | oops").output())
                .isEqualTo("PLUMB UNKNOWN - roles/web.yaml:3:5: unknown key / oops\n");
    }

    @Test
    void textListsPassingChecksInALineAndFailingOnesWithTheirEvidence() {
        String text = new TextRenderer(false).render(report("local", Mode.CHECK, List.of(), HEALTH, SSH, DOWN, REFUSED));
        assertThat(text).isEqualTo("""
                local: 3 resources, 0 drifted, 0 failed (8 ms)
                ok health page (http[http://localhost:8080/health])
                ok port[22] after 3 attempts
                ! http[http://localhost:8080/a?b=1&c=<2>] check failed
                    status: expected 200, got 503
                    body_contains: expected 'ok', got a body without it (21 bytes)
                    | HTTP 503 from http://localhost:8080/a
                    | down for "maintenance"^G
                ! database (command[pg_isready]) check failed after 2 attempts: 'pg_isready': timed out after 5 s
                local: 4 checks, 2 passed, 2 failed (2050 ms)
                """);
    }
}

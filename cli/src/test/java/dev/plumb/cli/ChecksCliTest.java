package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.plumb.compiler.ProjectFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import picocli.CommandLine;

/** plumb apply and plumb check with checks, against a real HTTP server on loopback: exit codes and every format. */
class ChecksCliTest {

    @TempDir
    Path dir;

    private HttpServer server;
    private Path target;
    private Path state;
    private ProjectFiles project;
    private int closedPort;
    private String out;
    private String err;

    @BeforeEach
    void startServerAndWriteProject() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/health", exchange -> {
            byte[] body = "{\"status\": \"ok\"}\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream stream = exchange.getResponseBody()) {
                stream.write(body);
            }
        });
        server.start();
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        target = Files.createDirectory(dir.resolve("target"));
        state = dir.resolve("state");
        project = new ProjectFiles(Files.createDirectory(dir.resolve("project")));
        role("");
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    /** The role: a config file, and checks of it and of the server, plus {@code extraChecks}. */
    private void role(String extraChecks) {
        project.role("""
                resources:
                  - file: "{{ root }}/app.conf"
                    content: "port = {{ port }}\\n"
                checks:
                  - http: "http://127.0.0.1:{{ port }}/health"
                    name: health
                    body_contains: '"ok"'
                  - port: "{{ port }}"
                    host: 127.0.0.1
                  - file: "{{ root }}/app.conf"
                    contains: "port = {{ port }}"
                """ + extraChecks);
    }

    private int plumb(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-p", project.directory().toString(), "--var", "root=" + target,
                "--var", "port=" + server.getAddress().getPort()));
        if (List.of("plan", "apply", "check").contains(args[0])) {
            all.addAll(List.of("--state-dir", state.toString()));
        }
        InProcess run = InProcess.plumb(all);
        out = run.out();
        err = run.err();
        return run.exit();
    }

    private String closedUrl() {
        return "http://127.0.0.1:" + closedPort + "/";
    }

    @Test
    void applyConvergesThenRunsTheChecks() {
        assertThat(plumb("apply")).as(out + err).isEqualTo(2);
        int port = server.getAddress().getPort();
        assertThat(out).contains("local: 1 resources, 1 changed, 0 failed",
                "ok health (http[http://127.0.0.1:" + port + "/health])\n", "ok port[" + port + "]\n",
                "ok file[" + target.resolve("app.conf") + "]\n").containsPattern("local: 3 checks, 3 passed, 0 failed \\(\\d+ ms\\)\n$");
        assertThat(plumb("apply")).isZero();
    }

    @Test
    void aFailingCheckFailsTheApplyWithItsEvidence() {
        role("  - http: \"" + closedUrl() + "\"\n    timeout: 2s\n");
        assertThat(plumb("apply")).isEqualTo(6);
        assertThat(out).contains("! http[" + closedUrl() + "] check failed: cannot connect to 127.0.0.1:" + closedPort
                + ": connection refused\n").containsPattern("local: 4 checks, 3 passed, 1 failed");
        assertThat(plumb("apply")).isEqualTo(4);
        assertThat(plumb("apply", "--no-checks")).isZero();
        assertThat(out).doesNotContain("check");
    }

    @Test
    void checkExitsZeroTwoFourOrSix() throws IOException {
        assertThat(plumb("check")).as("nothing applied yet: drift, and the file check fails").isEqualTo(6);
        plumb("apply");
        assertThat(plumb("check")).isZero();
        Files.writeString(target.resolve("app.conf"), "port = " + server.getAddress().getPort() + "\n# edited\n");
        assertThat(plumb("check")).as("drift, checks still pass").isEqualTo(2);
        assertThat(plumb("check", "--no-checks")).isEqualTo(2);
        assertThat(out).doesNotContain("checks");
        plumb("apply");
        role("  - port: \"" + closedPort + "\"\n");
        assertThat(plumb("check")).as("in sync, a check fails").isEqualTo(4);
        assertThat(out).contains("! port[" + closedPort + "] check failed\n    listening: expected something listening on tcp "
                + "port " + closedPort + ", got nothing listening\n    | no tcp socket is bound to port " + closedPort + "\n");
    }

    @Test
    void junitOutputIsValidXmlWithATestPerCheck() throws Exception {
        role("  - port: \"" + closedPort + "\"\n    name: spare port\n");
        plumb("apply", "--no-checks");
        assertThat(plumb("check", "--format", "junit")).isEqualTo(4);
        Element suites = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(out.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
        assertThat(suites.getAttribute("tests")).isEqualTo("5");
        assertThat(suites.getAttribute("failures")).isEqualTo("1");
        Element failure = (Element) suites.getElementsByTagName("failure").item(0);
        assertThat(((Element) failure.getParentNode()).getAttribute("name")).isEqualTo("spare port (port[" + closedPort + "])");
        assertThat(failure.getAttribute("message")).isEqualTo("listening: expected something listening on tcp port "
                + closedPort + ", got nothing listening");
    }

    @Test
    void tapOutputHasAPlanAndALinePerTest() {
        role("  - http: \"" + closedUrl() + "\"\n");
        plumb("apply", "--no-checks");
        assertThat(plumb("check", "--format", "tap")).isEqualTo(4);
        List<String> lines = out.lines().toList();
        assertThat(lines.subList(0, 2)).containsExactly("TAP version 13", "1..5");
        assertThat(lines.stream().filter(l -> l.matches("(not )?ok \\d+ - .*"))).hasSize(5);
        assertThat(lines).contains("ok 1 - resources in sync", "not ok 5 - http[" + closedUrl() + "]",
                "  message: \"cannot connect to 127.0.0.1:" + closedPort + ": connection refused\"");
    }

    @Test
    void nagiosOutputIsOneStatusLineAndThePluginExitCode() throws IOException {
        plumb("apply", "--no-checks");
        assertThat(plumb("check", "--format", "nagios")).isZero();
        assertThat(out).matches("PLUMB OK - 3 checks passed, no drift \\| checks=3 failed=0 drift=0 time=\\d+\\.\\d{3}s\n");

        Files.writeString(target.resolve("app.conf"), "port = " + server.getAddress().getPort() + "\n# edited\n");
        assertThat(plumb("check", "--format", "nagios")).isEqualTo(1);
        assertThat(out).startsWith("PLUMB WARNING - 3 checks passed, 1 resource drifted | checks=3 failed=0 drift=1 time=");

        role("  - http: \"" + closedUrl() + "\"\n");
        assertThat(plumb("check", "--format", "nagios")).isEqualTo(2);
        assertThat(out).startsWith("PLUMB CRITICAL - 1 of 4 checks failed (http[" + closedUrl() + "]), 1 resource drifted "
                + "| checks=4 failed=1 drift=1 time=");
    }

    @Test
    void nagiosAnswersUnknownForInvalidInput() {
        role("  - port: 70000\n");
        assertThat(plumb("check", "--format", "nagios")).isEqualTo(3);
        assertThat(out).isEqualTo("PLUMB UNKNOWN - 1 problem in the project, first roles/main.yaml:12:11: check "
                + "port[70000]: '70000' is not a port; expected a number from 1 to 65535\n");
        assertThat(plumb("check", "--format", "nagios", "--hosts", "nope")).isEqualTo(3);
        assertThat(out).startsWith("PLUMB UNKNOWN - --hosts: 'nope' matches no host or group");
        assertThat(plumb("check", "--format", "nagios", "--frobnicate")).isEqualTo(3);
        assertThat(out).isEqualTo("PLUMB UNKNOWN - Unknown option: '--frobnicate'\n");
    }

    @Test
    void everyFormatReachesABufferedStandardOutput() {
        for (String format : List.of("text", "json", "junit", "tap", "nagios")) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CommandLine commandLine = Main.commandLine();
            commandLine.setOut(new PrintWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8)));
            commandLine.setErr(new PrintWriter(new StringWriter()));
            commandLine.execute("check", "--format", format, "-p", project.directory().toString(), "--var", "root=" + target,
                    "--var", "port=" + server.getAddress().getPort(), "--state-dir", state.toString());
            assertThat(bytes.toString(StandardCharsets.UTF_8)).as(format).isNotEmpty();
        }
    }

    @Test
    void formatsForChecksAreRefusedWhereNoChecksRun() {
        assertThat(plumb("plan", "--format", "junit")).isEqualTo(1);
        assertThat(err).isEqualTo("plumb: --format junit is not available for plan; use one of text, json\n");
        assertThat(plumb("apply", "--format", "nagios")).isEqualTo(1);
        assertThat(err).isEqualTo("plumb: --format nagios is not available for apply; use one of text, json, junit, tap\n");
    }

    @Test
    void validateCountsTheChecks() {
        assertThat(plumb("validate")).isZero();
        assertThat(out).isEqualTo("test: valid (1 host, 1 role, 1 resource, 3 checks)\n");
    }
}

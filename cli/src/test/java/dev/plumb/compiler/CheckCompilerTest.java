package dev.plumb.compiler;

import dev.plumb.api.Diagnostic;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.catalog.Catalog;
import dev.plumb.catalog.CatalogCheck;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks in roles: compiled like resources, validated before anything runs, each problem at its file:line:column. */
class CheckCompilerTest {

    private static final Map<String, Object> FACTS = Map.of("hostname", "box", "os", Map.of("id", "debian", "family", "debian"));

    @TempDir
    Path dir;

    private Catalog compile(ProjectFiles project) throws CompileException {
        return new Compiler(ProjectLoader.load(project.directory())).compile("local", Map.of(), FACTS).catalog();
    }

    private List<String> problems(String role) {
        try {
            compile(new ProjectFiles(dir).role(role));
        } catch (CompileException e) {
            return e.problems().stream().map(Diagnostic::toString).toList();
        }
        throw new AssertionError("expected the project not to compile");
    }

    @Test
    void checksCompileWithVariablesForEachAndWhen() throws Exception {
        Catalog catalog = compile(new ProjectFiles(dir).role("""
                vars:
                  port: 8080
                  sites: [shop, blog]
                resources: []
                checks:
                  - http: "http://localhost:{{ port }}/health"
                    name: health page
                    status: 200
                    body_contains: ok
                    headers: { Content-Type: application/json }
                    retries: 10
                    interval: 3s
                  - port: "{{ port }}"
                  - command: "curl -sf http://{{ item }}.test/"
                    for_each: sites
                    when: "item != 'blog'"
                  - dns: localhost
                    addresses: [127.0.0.1]
                  - file: /etc/motd
                    mode: "0644"
                    when: "facts.os.family == 'redhat'"
                """));
        assertThat(catalog.checks()).containsExactly(
                new CatalogCheck("http", "http://localhost:8080/health", Map.of("name", "health page", "status", 200,
                        "body_contains", "ok", "headers", Map.of("Content-Type", "application/json"), "retries", 10,
                        "interval", "3s")),
                new CatalogCheck("port", "8080", Map.of()),
                new CatalogCheck("command", "curl -sf http://shop.test/", Map.of()),
                new CatalogCheck("dns", "localhost", Map.of("addresses", List.of("127.0.0.1"))));
    }

    @Test
    void unknownAttributesAndTypesAreReportedWithSuggestions() {
        assertThat(problems("""
                checks:
                  - http: http://localhost/
                    staus: 200
                  - htp: http://localhost/
                """)).containsExactly(
                "roles/main.yaml:3:5: unknown key 'staus' in http check; expected one of status, body_contains, body_matches, "
                        + "headers, method, insecure, follow_redirects, host_header, name, retries, interval, timeout, when, for_each; "
                        + "did you mean 'status'?",
                "roles/main.yaml:4:5: unknown check type 'htp'; expected one of http, port, command, file, process, package, "
                        + "service, user, group, dns, certificate; did you mean 'http'? (a check starts with its type, as "
                        + "'- http: http://localhost/health')");
    }

    @Test
    void badUrlsPortsRegexesAndTypesArePlacedAtTheirValue() {
        assertThat(problems("""
                checks:
                  - http: "htp://localhost/health"
                  - port: 70000
                  - http: http://localhost/
                    body_matches: "status: (ok"
                  - command: systemctl is-active nginx
                    exit_code: zero
                  - port: 22
                    timeout: soon
                    listening: "yes"
                  - file: /etc/motd
                    mode: 644
                """)).containsExactly(
                "roles/main.yaml:7:16: exit_code expects a whole number, got 'zero'",
                "roles/main.yaml:10:16: listening expects true or false, got 'yes'",
                "roles/main.yaml:12:11: mode must be quoted, as \"0644\": unquoted, YAML reads 644 as a decimal number",
                "roles/main.yaml:2:11: check http[htp://localhost/health]: 'htp://localhost/health' is not an http or "
                        + "https URL; expected one such as http://localhost:8080/health",
                "roles/main.yaml:3:11: check port[70000]: '70000' is not a port; expected a number from 1 to 65535",
                "roles/main.yaml:5:19: check http[http://localhost/] body_matches: 'status: (ok' is not a valid regular "
                        + "expression: unclosed group at its end",
                "roles/main.yaml:9:14: check port[22] timeout: 'soon' is not a duration; expected a positive number of "
                        + "seconds or a number with a unit, such as 500ms, 2s or 1m");
    }

    @Test
    void aServiceCheckWithAPathForANameAndAnHttpPortOutOfRangeArePlacedAtTheirValue() {
        assertThat(problems("""
                checks:
                  - service: "../../srv/evil.sh"
                  - package: "../evil"
                  - http: http://localhost:99999/
                """)).containsExactly(
                "roles/main.yaml:2:14: check service[../../srv/evil.sh]: '../../srv/evil.sh' is not a service name; "
                        + "expected letters, digits and _ . @ : - such as nginx or getty@tty1",
                "roles/main.yaml:3:14: check package[../evil]: '../evil' is not a Debian package name; expected "
                        + "lower-case letters, digits and + - . such as nginx or libssl3",
                "roles/main.yaml:4:11: check http[http://localhost:99999/]: 'http://localhost:99999/' has port 99999, "
                        + "which is not a port; expected a number from 1 to 65535");
    }

    @Test
    void undefinedVariablesInChecksAreErrors() {
        assertThat(problems("checks:\n  - http: \"http://localhost:{{ port }}/\"\n")).containsExactly(
                "roles/main.yaml:2:11: undefined variable 'port' in 'http://localhost:{{ port }}/'");
    }

    @Test
    void checksMustBeAList() {
        assertThat(problems("checks:\n  http: http://localhost/\n"))
                .containsExactly("roles/main.yaml:2:3: expected a list of checks, got a mapping");
    }
}

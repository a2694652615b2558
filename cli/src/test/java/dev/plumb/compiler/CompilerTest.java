package dev.plumb.compiler;

import dev.plumb.api.Diagnostic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.agent.BuiltInTypes;
import dev.plumb.api.Location;
import dev.plumb.catalog.Catalog;
import dev.plumb.catalog.CatalogCheck;
import dev.plumb.catalog.CatalogResource;
import dev.plumb.catalog.Json;
import dev.plumb.engine.Engine;
import dev.plumb.resources.ResourceTypes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import dev.plumb.system.Hashing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompilerTest {

    private static final Map<String, Object> FACTS = Map.of("hostname", "box", "os", Map.of("id", "debian", "family", "debian"));

    @TempDir
    Path dir;

    private Catalog compile(ProjectFiles project, Map<String, Object> vars) throws CompileException {
        return new Compiler(ProjectLoader.load(project.directory())).compile("local", vars, FACTS).catalog();
    }

    private List<String> problems(ProjectFiles project) {
        try {
            compile(project, Map.of());
        } catch (CompileException e) {
            return e.problems().stream().map(Diagnostic::toString).toList();
        }
        throw new AssertionError("expected the project not to compile");
    }

    private CatalogResource resource(Catalog catalog, String id) {
        return catalog.resources().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void variablesFollowPrecedenceFromRoleToCommandLine() throws Exception {
        ProjectFiles project = new ProjectFiles(dir)
                .write("plumb.yaml", "name: t\nenvironments:\n  - name: dev\n    vars: { c: env, d: env, e: env }\n")
                .write("inventory.yaml", "groups:\n  all: { roles: [main], vars: { b: group, c: group, d: group, e: group } }\n"
                        + "hosts:\n  local: { connection: local, groups: [all], env: dev, vars: { d: host, e: host } }\n")
                .role("vars: { a: role, b: role, c: role, d: role, e: role }\nresources:\n"
                        + "  - file: /tmp/x\n    content: \"{{ a }} {{ b }} {{ c }} {{ d }} {{ e }}\"\n");
        Catalog catalog = compile(project, Map.of("e", "cli"));
        assertThat(resource(catalog, "file:/tmp/x").attributes()).containsEntry("content", "role group env host cli");
    }

    @Test
    void templatesSeeFactsHostAndVariablesWithJinjaNewlines() throws Exception {
        ProjectFiles project = new ProjectFiles(dir)
                .write("templates/motd.j2", "{{ host.name }} on {{ facts.os.id }}\n{% for u in users %}\n- {{ u }}\n{% endfor %}\nport={{ port }}\n")
                .role("vars: { port: 80, users: [ann, bob] }\nresources:\n  - file: /tmp/motd\n    template: motd.j2\n");
        CatalogResource motd = resource(compile(project, Map.of()), "file:/tmp/motd");
        String expected = "local on debian\n- ann\n- bob\nport=80\n";
        assertThat(motd.attributes()).containsEntry("content", expected)
                .containsEntry("sha256", Hashing.sha256(expected.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void forEachExpandsListsAndMapsAndWhenFiltersPerItem() throws Exception {
        ProjectFiles project = new ProjectFiles(dir).role("""
                vars:
                  sites: { shop: shop.test, blog: blog.test }
                  users: [ann, bob, root]
                resources:
                  - file: "/tmp/sites/{{ key }}.conf"
                    for_each: sites
                    content: "server_name {{ item }};"
                  - file: "/tmp/home/{{ item }}"
                    for_each: [ann, bob, root]
                    when: "item != 'root'"
                  - file: /tmp/debian-only
                    when: "facts.os.family == 'debian'"
                  - file: /tmp/redhat-only
                    when: "facts.os.family == 'redhat'"
                """);
        List<String> ids = compile(project, Map.of()).resources().stream().map(CatalogResource::id).toList();
        assertThat(ids).containsExactly("file:/tmp/sites/blog.conf", "file:/tmp/sites/shop.conf", "file:/tmp/home/ann",
                "file:/tmp/home/bob", "file:/tmp/debian-only");
    }

    @Test
    void sourceFilesAreEmbeddedAsTextOrBase64() throws Exception {
        ProjectFiles project = new ProjectFiles(dir).write("files/a.txt", "plain\n").role(
                "resources:\n  - file: /tmp/a\n    source: a.txt\n  - file: /tmp/b\n    source: b.bin\n");
        java.nio.file.Files.write(dir.resolve("files/b.bin"), new byte[] {0, 1, 2, (byte) 0xff});
        Catalog catalog = compile(project, Map.of());
        assertThat(resource(catalog, "file:/tmp/a").attributes()).containsEntry("content", "plain\n");
        assertThat(resource(catalog, "file:/tmp/b").attributes()).containsEntry("contentBase64", "AAEC/w==");
    }

    @Test
    void identicalInputCompilesToIdenticalBytes() throws Exception {
        ProjectFiles project = new ProjectFiles(dir).role("resources:\n  - directory: /tmp/d\n    mode: \"0755\"\n"
                + "  - file: /tmp/d/f\n    content: x\n    owner: root\n    mode: \"0600\"\n");
        byte[] first = Json.MAPPER.writeValueAsBytes(compile(project, Map.of()));
        byte[] second = Json.MAPPER.writeValueAsBytes(compile(project, Map.of()));
        assertThat(first).isEqualTo(second);
        assertThat(new String(first, StandardCharsets.UTF_8)).contains("\"version\" : 2");
    }

    @Test
    void yamlSyntaxErrorNamesLineAndColumn() {
        ProjectFiles project = new ProjectFiles(dir).role("resources:\n  - file: /tmp/a\n    content: [unclosed\n");
        assertThatThrownBy(() -> ProjectLoader.load(dir)).isInstanceOf(CompileException.class)
                .hasMessageStartingWith("roles/main.yaml:4:1: invalid YAML");
    }

    @Test
    void unknownKeySuggestsTheClosestOne() {
        List<String> problems = problems(new ProjectFiles(dir).role(
                "resources:\n  - directory: /tmp/d\n  - file: /tmp/d/f\n    require: directory:/tmp/d\n"));
        assertThat(problems).containsExactly("roles/main.yaml:4:5: unknown key 'require' in file resource; expected one of "
                + "ensure, content, mode, owner, group, sensitive, validate, source, template, requires, notify, when, for_each; "
                + "did you mean 'requires'?");
    }

    @Test
    void unknownKeysInInventoryAndProjectFileAreReported() {
        new ProjectFiles(dir).write("plumb.yaml", "name: t\nenviroments: [dev]\n")
                .write("inventory.yaml", "hosts:\n  local: { connection: local, group: [all] }\n").role("resources: []\n");
        assertThatThrownBy(() -> ProjectLoader.load(dir)).isInstanceOf(CompileException.class)
                .satisfies(e -> assertThat(((CompileException) e).problems()).map(Diagnostic::toString).containsExactly(
                        "plumb.yaml:2:1: unknown key 'enviroments' in plumb.yaml; expected one of name, environments, facts; did you mean 'environments'?",
                        "inventory.yaml:2:31: unknown key 'group' in host local; expected one of connection, address, groups, env, vars, port, user, identity, become; did you mean 'groups'?"));
    }

    @Test
    void unknownResourceTypeIsNamed() {
        assertThat(problems(new ProjectFiles(dir).role("resources:\n  - fiel: /tmp/a\n")))
                .containsExactly("roles/main.yaml:2:5: unknown resource type 'fiel'; expected one of "
                        + String.join(", ", ResourceTypes.names()) + "; did you mean 'file'? (a resource starts with its type, as '- file: /etc/motd')");
    }

    @Test
    void wrongValueTypesAreReported() {
        List<String> problems = problems(new ProjectFiles(dir).role("""
                resources:
                  - file: /tmp/a
                    mode: 644
                  - directory: /tmp/b
                    purge: sometimes
                  - exec: sleep 1
                    timeout: [1]
                """));
        assertThat(problems).containsExactly(
                "roles/main.yaml:3:11: mode must be quoted, as \"0644\": unquoted, YAML reads 644 as a decimal number",
                "roles/main.yaml:5:12: purge expects true or false, got 'sometimes'",
                "roles/main.yaml:7:14: timeout expects a whole number, got a list");
    }

    @Test
    void invalidAttributeValuesAreReportedAtTheAttribute() {
        List<String> problems = problems(new ProjectFiles(dir).role(
                "resources:\n  - file: /tmp/a\n    ensure: absnt\n    mode: \"0999\"\n"));
        assertThat(problems).containsExactly(
                "roles/main.yaml:3:13: file[/tmp/a] ensure: 'absnt' is not one of present, absent; did you mean 'absent'?",
                "roles/main.yaml:4:11: file[/tmp/a] mode: '0999' is not a file mode; expected octal digits such as \"0644\" "
                        + "or \"0750\" (setuid, setgid and sticky bits are not supported)");
    }

    @Test
    void aCronScheduleIsCheckedAtCompileTimeAndReportedAtTheSchedule() {
        List<String> problems = problems(new ProjectFiles(dir).role("""
                resources:
                  - cron: backup
                    command: /usr/local/bin/backup
                    schedule: "61 * * * *"
                  - cron: report.daily
                    command: /usr/local/bin/report
                    schedule: "@dialy"
                """));
        assertThat(problems).containsExactly(
                "roles/main.yaml:4:15: cron[backup] schedule: '61 * * * *': minute 61 is out of range 0-59",
                "roles/main.yaml:5:11: cron[report.daily] name: 'report.daily' cannot name a cron job; use letters, "
                        + "digits, _ and - only (cron skips the files in /etc/cron.d whose names hold anything else, "
                        + "such as a dot)",
                "roles/main.yaml:7:15: cron[report.daily] schedule: '@dialy' is not one of @reboot, @yearly, @annually, "
                        + "@monthly, @weekly, @daily, @midnight, @hourly, or five fields; did you mean '@daily'?");
    }

    @Test
    void aCronJobCompilesWithItsVariables() throws Exception {
        Catalog catalog = compile(new ProjectFiles(dir).role("""
                vars: { admin: ops@example.com }
                resources:
                  - cron: backup
                    user: nobody
                    schedule: "0 3 * * mon-fri"
                    command: tar czf /backup/$(date +%F).tgz /srv
                    env: { MAILTO: "{{ admin }}" }
                """), Map.of());
        assertThat(resource(catalog, "cron:backup").attributes()).isEqualTo(Map.of("user", "nobody",
                "schedule", "0 3 * * mon-fri", "command", "tar czf /backup/$(date +%F).tgz /srv",
                "env", Map.of("MAILTO", "ops@example.com")));
    }

    @Test
    void missingTemplateAndSourceFilesAreReported() {
        List<String> problems = problems(new ProjectFiles(dir).write("templates/app.conf.j2", "x").role(
                "resources:\n  - file: /tmp/a\n    template: app.conf.j\n  - file: /tmp/b\n    source: nope.txt\n"));
        assertThat(problems).containsExactly(
                "roles/main.yaml:3:15: templates/app.conf.j does not exist; did you mean 'app.conf.j2'?",
                "roles/main.yaml:5:13: files/nope.txt does not exist");
    }

    @Test
    void templateErrorsNameTheTemplateLine() {
        List<String> problems = problems(new ProjectFiles(dir)
                .write("templates/bad.j2", "line one\nline two\n{{ missing_var }}\n")
                .write("templates/syntax.j2", "ok\n{% if %}\n")
                .role("resources:\n  - file: /tmp/a\n    template: bad.j2\n  - file: /tmp/b\n    template: syntax.j2\n"));
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).isEqualTo("templates/bad.j2:3:4: undefined variable 'missing_var' "
                + "(rendering for the file resource at roles/main.yaml:3:15)");
        assertThat(problems.get(1)).isEqualTo("templates/syntax.j2:2:7: unexpected end of the tag; expected a value: a name, a number, a string, a list or a mapping (rendering for the file resource at roles/main.yaml:5:15)");
    }

    @Test
    void undefinedVariableInAStringIsAnErrorNotAnEmptyString() {
        assertThat(problems(new ProjectFiles(dir).role("resources:\n  - file: \"/srv/{{ app }}/conf\"\n")))
                .containsExactly("roles/main.yaml:2:11: undefined variable 'app' in '/srv/{{ app }}/conf'");
    }

    @Test
    void duplicateResourcesNameBothPlaces() {
        assertThat(problems(new ProjectFiles(dir).role("resources:\n  - file: /tmp/a\n  - directory: /tmp/x\n  - file: /tmp/a\n")))
                .containsExactly("roles/main.yaml:4:5: duplicate resource file:/tmp/a, first declared at roles/main.yaml:2:5");
    }

    @Test
    void unknownReferencesAreReportedWithASuggestion() {
        assertThat(problems(new ProjectFiles(dir).role(
                "resources:\n  - directory: /tmp/app\n  - exec: run\n    requires: directory:/tmp/ap\n")))
                .containsExactly("roles/main.yaml:4:15: exec[run] requires: refers to directory:/tmp/ap, which is not declared; "
                        + "did you mean 'directory:/tmp/app'?");
    }

    @Test
    void dependencyCyclesAreReportedWholeFromTheFirstResource() {
        assertThat(problems(new ProjectFiles(dir).role("""
                resources:
                  - exec: a
                    requires: exec:b
                  - exec: b
                    requires: exec:c
                  - exec: c
                    requires: exec:a
                """))).containsExactly("roles/main.yaml:2:5: exec[a]: dependency cycle: exec[a] needs exec[b] needs exec[c] needs exec[a]");
    }

    @Test
    void conflictsBetweenResourcesOnOnePathAreErrors() {
        assertThat(problems(new ProjectFiles(dir).role("""
                resources:
                  - file: /tmp/hosts
                    content: "127.0.0.1 localhost\\n"
                  - line: extra host
                    path: /tmp/hosts
                    text: "10.0.0.1 db"
                  - directory: /tmp/x
                  - symlink: /tmp/x
                    target: /tmp/y
                """))).containsExactly(
                "roles/main.yaml:8:5: symlink[/tmp/x]: manages /tmp/x, which directory[/tmp/x] already manages",
                "roles/main.yaml:5:11: line[extra host] path: edits /tmp/hosts, whose whole content file[/tmp/hosts] manages; "
                        + "put the line in that resource's content instead");
    }

    @Test
    void unknownGroupRoleAndEnvironmentAreReported() {
        new ProjectFiles(dir).write("inventory.yaml", "groups:\n  web: { roles: [mian] }\n"
                + "hosts:\n  local: { connection: local, groups: [wbe], env: prdo }\n").role("resources: []\n");
        assertThatThrownBy(() -> ProjectLoader.load(dir)).isInstanceOf(CompileException.class)
                .satisfies(e -> assertThat(((CompileException) e).problems()).map(Diagnostic::toString).containsExactly(
                        "inventory.yaml:2:17: role 'mian' not found: expected roles/mian.yaml; did you mean 'main'?",
                        "inventory.yaml:4:39: group 'wbe' is not declared under groups; did you mean 'web'?",
                        "inventory.yaml:4:51: environment 'prdo' is not declared in plumb.yaml; declared: dev, prod; did you mean 'prod'?"));
    }

    /** Reference and cycle checks need every resource compiled, so they follow once the rest is fixed. */
    @Test
    void everyProblemIsReportedNotJustTheFirst() {
        assertThat(problems(new ProjectFiles(dir).role("""
                resources:
                  - file: /tmp/a
                    mode: 644
                  - file: "{{ nope }}"
                  - exec: x
                    timeout: soon
                """))).containsExactly(
                "roles/main.yaml:3:11: mode must be quoted, as \"0644\": unquoted, YAML reads 644 as a decimal number",
                "roles/main.yaml:4:11: undefined variable 'nope' in '{{ nope }}'",
                "roles/main.yaml:6:14: timeout expects a whole number, got 'soon'");
    }

    @Test
    void aPackageSourceCarriesTheDebFileIntoTheCatalog() throws Exception {
        ProjectFiles project = new ProjectFiles(dir).write("files/app_1.0_all.deb", "!<arch>\nnot really a deb\n")
                .role("resources:\n  - package: app\n    source: app_1.0_all.deb\n  - package: nginx\n    version: latest\n");
        Catalog catalog = compile(project, Map.of());
        assertThat(resource(catalog, "package:app").attributes()).containsEntry("source", "app_1.0_all.deb")
                .containsEntry("sourceBase64", java.util.Base64.getEncoder().encodeToString("!<arch>\nnot really a deb\n".getBytes()));
        assertThat(resource(catalog, "package:nginx").attributes()).containsOnly(Map.entry("version", "latest"));
    }

    @Test
    void badPackageAttributesAreNamedWhereTheyAreWritten() {
        ProjectFiles project = new ProjectFiles(dir).role("resources:\n  - package: app\n    source: app.deb\n"
                + "  - package: Nginx\n    ensure: purge\n  - package: curl\n    ensure: absent\n    version: \"1.0\"\n");
        assertThat(problems(project)).containsExactly(
                "roles/main.yaml:3:13: files/app.deb does not exist",
                "roles/main.yaml:4:14: package[Nginx] name: 'Nginx' is not a Debian package name; expected lower-case "
                        + "letters, digits and + - . such as nginx or libssl3",
                "roles/main.yaml:5:13: package[Nginx] ensure: 'purge' is not one of present, absent, purged; did you mean 'purged'?",
                "roles/main.yaml:8:14: package[curl] version: has no meaning for a package that is absent");
    }

    @Test
    void aUserTakesItsGroupsAsAListAndNeedsTheGroupsTheRoleDeclares() throws Exception {
        ProjectFiles project = new ProjectFiles(dir).role("""
                resources:
                  - user: app
                    uid: 2000
                    groups: [adm, www-data]
                    manage_home: true
                  - group: www-data
                    gid: 33
                """);
        Catalog catalog = new Compiler(ProjectLoader.load(project.directory())).compile("local", Map.of(), FACTS).catalog();
        Engine.Prepared prepared = Engine.prepare(catalog, BuiltInTypes.REGISTRY);

        assertThat(resource(catalog, "user:app").attributes()).containsEntry("groups", List.of("adm", "www-data"))
                .containsEntry("uid", 2000).containsEntry("manage_home", true);
        assertThat(prepared.order()).containsExactly("group:www-data", "user:app");
    }

    @Test
    void aClearTextPasswordIsReportedWithoutItsValue() {
        assertThat(problems(new ProjectFiles(dir).role("resources:\n  - user: app\n    password: hunter2\n")))
                .containsExactly("roles/main.yaml:3:15: user[app] password: is not a crypt hash: a hash starts with $ (or with "
                        + "! or * for an account that cannot log in with a password). Make one with: openssl passwd -6");
    }

    @Test
    void whenErrorsNameTheExpressionWhatIsWrongAndWhatWasMeant() {
        assertThat(problems(new ProjectFiles(dir).role("""
                vars: { port: 80 }
                resources:
                  - file: /tmp/a
                    when: "facts.os.id = debian"
                  - file: /tmp/b
                    when: "facts.os.idd == 'debian'"
                  - file: /tmp/c
                    when: "prot == 80"
                """))).containsExactly(
                "roles/main.yaml:4:11: when: \"facts.os.id = debian\": unexpected '=' (to compare, write ==); expected the "
                        + "end of the expression; expected an expression such as \"facts.os.id == 'debian'\"",
                "roles/main.yaml:6:11: when: \"facts.os.idd == 'debian'\": undefined variable 'facts.os.idd'; did you mean 'facts.os.id'?",
                "roles/main.yaml:8:11: when: \"prot == 80\": undefined variable 'prot'; did you mean 'port'?");
    }

    @Test
    void templateMistakesNameWhatWasProbablyMeant() {
        assertThat(problems(new ProjectFiles(dir).role("""
                resources:
                  - file: /tmp/a
                    content: "{{ 'a' | upperr }}"
                  - file: /tmp/b
                    content: "{{ item }}"
                  - file: /tmp/c
                    content: "{{ 99999999999999999999999 }}"
                """))).containsExactly(
                "roles/main.yaml:3:14: unknown filter 'upperr'; did you mean 'upper'?; filters: "
                        + String.join(", ", dev.plumb.compiler.jinja.Filters.NAMES) + " in '{{ 'a' | upperr }}'",
                "roles/main.yaml:5:14: undefined variable 'item' (item is set only in a resource or check with for_each) in '{{ item }}'",
                "roles/main.yaml:7:14: the number 99999999999999999999999 is too large; whole numbers go up to "
                        + Long.MAX_VALUE + ", and a longer one can be written as a string: '99999999999999999999999' "
                        + "in '{{ 99999999999999999999999 }}'");
    }

    @Test
    void aHostWithoutAnEnvironmentHasNoHostEnv() {
        ProjectFiles project = new ProjectFiles(dir).write("inventory.yaml", "groups:\n  all: { roles: [main] }\n"
                + "hosts:\n  local: { connection: local, groups: [all] }\n").role("resources:\n  - file: \"/tmp/{{ host.env }}\"\n");
        assertThat(problems(project)).containsExactly("roles/main.yaml:2:11: undefined variable 'host.env' in '/tmp/{{ host.env }}'");
    }

    @Test
    void anEmptyEntryIsAnErrorNotIgnored() {
        assertThat(problems(new ProjectFiles(dir).role("resources:\n  - {}\n  -\nchecks:\n  - {}\n"))).containsExactly(
                "roles/main.yaml:2:5: empty resource; expected '- TYPE: NAME', such as '- file: /etc/motd'",
                "roles/main.yaml:3:4: empty resource; expected '- TYPE: NAME', such as '- file: /etc/motd'",
                "roles/main.yaml:5:5: empty check; expected '- TYPE: TARGET', such as '- http: http://localhost/health'");
    }

    @Test
    void aMisspeltEnvironmentsKeyLeavesNoEmptyList() {
        assertThat(problems(new ProjectFiles(dir).write("plumb.yaml", "name: t\nenviroments: [dev]\n").role("resources: []\n")))
                .containsExactly("plumb.yaml:2:1: unknown key 'enviroments' in plumb.yaml; expected one of name, environments, facts; "
                                + "did you mean 'environments'?",
                        "inventory.yaml:4:51: environment 'dev' is not declared in plumb.yaml; it declares none; add "
                                + "'environments: [dev]'");
    }

    @Test
    void anAttributeWithNoValueIsAnError() {
        assertThat(problems(new ProjectFiles(dir).role("resources:\n  - file: /tmp/a\n    mode:\n    owner: root\n")))
                .containsExactly("roles/main.yaml:3:10: mode: has no value; give it one, or remove the line to leave it unmanaged");
    }

    @Test
    void anEngineProblemAboutACheckIsPlacedAtTheCheck() {
        CatalogCheck port = new CatalogCheck("port", "22", Map.of("timeout", "soon"));
        Compiler.Declarations declarations = new Compiler.Declarations(List.of(), List.of(new CheckCompiler.Compiled(
                port, new Location("roles/main.yaml", 7, 11), Map.of("timeout", new Location("roles/main.yaml", 8, 14)))));
        Problems problems = new Problems();

        declarations.locate(Diagnostic.ofResource(Engine.checkId(port), "timeout", "'soon' is not a duration"), problems);
        declarations.locate(Diagnostic.ofResource(Engine.checkId(port), null, "cannot be checked"), problems);

        assertThat(problems.list()).map(Diagnostic::toString).containsExactly(
                "roles/main.yaml:8:14: port[22] timeout: 'soon' is not a duration",
                "roles/main.yaml:7:11: port[22]: cannot be checked");
    }
}

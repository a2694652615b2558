package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.compiler.ProjectFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plumb command as a user runs it: exact exit codes and output, in process. */
class CliTest {

    @TempDir
    Path dir;

    private Path target;
    private Path state;
    private ProjectFiles project;
    private String out;
    private String err;

    @BeforeEach
    void writeProject() throws Exception {
        // JUnit makes its directory 0700: opened, so that what plumb manages below is readable by every user and
        // plumb shows its diffs (it hides the content of files not everyone may read).
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        target = Files.createDirectory(dir.resolve("target"));
        state = dir.resolve("state");
        project = new ProjectFiles(Files.createDirectory(dir.resolve("project"))).role("""
                vars:
                  root: /nowhere
                resources:
                  - directory: "{{ root }}/etc"
                  - file: "{{ root }}/etc/app.conf"
                    content: "port = {{ port }}\\n"
                    mode: "0644"
                    notify: exec:reload
                  - exec: reload
                    command: "echo reloaded >> {{ root }}/reloads.log"
                    refreshonly: true
                """);
    }

    private int plumb(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (!List.of("facts").contains(args[0])) {
            all.addAll(List.of("-p", project.directory().toString(), "--var", "root=" + target, "--var", "port=8080"));
        }
        if (List.of("plan", "apply", "check").contains(args[0])) {
            all.addAll(List.of("--state-dir", state.toString()));
        }
        InProcess run = InProcess.plumb(all);
        out = run.out();
        err = run.err();
        return run.exit();
    }

    @Test
    void validateReportsAValidProject() {
        assertThat(plumb("validate")).isZero();
        assertThat(out).isEqualTo("test: valid (1 host, 1 role, 3 resources)\n");
    }

    @Test
    void planShowsChangesWithDiffsAndChangesNothing() {
        assertThat(plumb("plan")).isEqualTo(2);
        Path conf = target.resolve("etc/app.conf");
        assertThat(out).isEqualTo("""
                + directory[%1$s/etc]
                    create directory
                + file[%1$s/etc/app.conf]
                    create file, mode 0644
                    --- /dev/null
                    +++ %1$s/etc/app.conf
                    @@ -0,0 +1 @@
                    +port = 8080
                ~ exec[reload]
                    run 'echo reloaded >> %1$s/reloads.log' (notified by file[%1$s/etc/app.conf])
                """.formatted(target) + out.substring(out.lastIndexOf("local: ")));
        assertThat(out).containsPattern("local: 3 resources, 3 to change, 0 failed \\(\\d+ ms\\)\n$");
        assertThat(conf).doesNotExist();
    }

    @Test
    void applyConvergesThenSecondApplyChangesNothing() throws Exception {
        assertThat(plumb("apply")).isEqualTo(2);
        assertThat(out).containsPattern("local: 3 resources, 3 changed, 0 failed");
        Path conf = target.resolve("etc/app.conf");
        assertThat(conf).hasContent("port = 8080");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(conf))).isEqualTo("rw-r--r--");
        assertThat(Files.readAllLines(target.resolve("reloads.log"))).containsExactly("reloaded");

        assertThat(plumb("apply")).isZero();
        assertThat(out).startsWith("local: 3 resources, 0 changed, 0 failed");
        assertThat(Files.readAllLines(target.resolve("reloads.log"))).containsExactly("reloaded");
    }

    @Test
    void checkShowsDriftAsADiffAndApplyRepairsIt() throws Exception {
        plumb("apply");
        Path conf = target.resolve("etc/app.conf");
        Files.writeString(conf, "port = 9999\n");

        assertThat(plumb("check")).isEqualTo(2);
        assertThat(out).contains("~ file[" + conf + "]", "content changed", "-port = 9999", "+port = 8080")
                .containsPattern("local: 3 resources, 2 drifted, 0 failed");
        assertThat(conf).hasContent("port = 9999");

        assertThat(plumb("apply")).isEqualTo(2);
        assertThat(conf).hasContent("port = 8080");
        assertThat(plumb("check")).isZero();
        assertThat(Files.readAllLines(target.resolve("reloads.log"))).containsExactly("reloaded", "reloaded");
    }

    @Test
    void jsonFormatPrintsTheReports() {
        assertThat(plumb("plan", "--format", "json")).isEqualTo(2);
        assertThat(out).startsWith("[ {").contains("\"status\" : \"WOULD_CHANGE\"", "\"mode\" : \"PLAN\"", "\"host\" : \"local\"");
    }

    @Test
    void invalidInputExitsOneAndTouchesNothing() throws Exception {
        project.role("resources:\n  - file: /tmp/x\n    require: file:/tmp/y\n");
        assertThat(plumb("apply")).isEqualTo(1);
        assertThat(err).isEqualTo("roles/main.yaml:3:5: unknown key 'require' in file resource; expected one of ensure, "
                + "content, mode, owner, group, sensitive, validate, source, template, requires, notify, when, for_each; "
                + "did you mean 'requires'?\n1 problem found; nothing was changed.\n");
        assertThat(state).doesNotExist();
    }

    @Test
    void failuresExitFourAndIndependentResourcesGoOn() throws Exception {
        project.role("""
                resources:
                  - file: "{{ root }}/missing-dir/a"
                    content: a
                  - exec: after-a
                    command: "touch {{ root }}/never"
                    requires: "file:{{ root }}/missing-dir/a"
                  - file: "{{ root }}/b"
                    content: b
                """);
        assertThat(plumb("apply")).isEqualTo(6);
        assertThat(out).contains("! file[" + target + "/missing-dir/a] failed: parent directory " + target
                        + "/missing-dir does not exist; declare it as a directory resource",
                "  exec[after-a] skipped: dependency file[" + target + "/missing-dir/a] failed")
                .containsPattern("local: 3 resources, 1 changed, 1 failed, 1 skipped");
        assertThat(target.resolve("b")).hasContent("b");
        assertThat(target.resolve("never")).doesNotExist();
    }

    @Test
    void sshHostsAreReportedUnreachableWhileLocalHostsConverge() {
        project.write("inventory.yaml", """
                groups:
                  all: { roles: [main] }
                hosts:
                  web1: { address: 127.0.0.1, port: 1, groups: [all] }
                  local: { connection: local, groups: [all] }
                """);
        assertThat(plumb("apply")).isEqualTo(6);
        assertThat(out).contains("== web1 ==\nweb1: not reachable: connection refused ("
                        + System.getProperty("user.name") + "@127.0.0.1 port 1)",
                "== local ==").containsPattern("local: 3 resources, 3 changed, 0 failed");
    }

    @Test
    void hostsSelectsByNameOrGroupAndRejectsPatternsThatMatchNothing() {
        assertThat(plumb("plan", "--hosts", "all")).isEqualTo(2);
        assertThat(plumb("plan", "--hosts", "loc*")).isEqualTo(2);
        assertThat(plumb("plan", "--hosts", "db*")).isEqualTo(1);
        assertThat(err).isEqualTo("plumb: --hosts: 'db*' matches no host or group; hosts: local; groups: all\n");
    }

    @Test
    void catalogPrintsTheCompiledCatalog() {
        assertThat(plumb("catalog", "local")).isZero();
        assertThat(out).contains("\"version\" : 2", "\"content\" : \"port = 8080\\n\"", "\"sha256\" : ");
        assertThat(plumb("catalog", "nope")).isEqualTo(1);
        assertThat(err).contains("no host named 'nope'; hosts: local");
    }

    @Test
    void factsDescribeThisMachine() {
        assertThat(plumb("facts")).isZero();
        assertThat(out).contains("\"hostname\"", "\"os\"", "\"kernel\"", "\"cpus\"", "\"memory_mb\"", "\"root\"");
    }

    @Test
    void usageErrorsExitOne() {
        assertThat(plumb("frobnicate")).isEqualTo(1);
        assertThat(err).startsWith("plumb: Unmatched arguments from index 0: 'frobnicate'");
        assertThat(plumb("plan", "--format", "yaml")).isEqualTo(1);
    }

    @Test
    void anEmptyStateDirectoryIsAUsageErrorAndChangesNothing() {
        InProcess run = InProcess.plumb(List.of("apply", "-p", project.directory().toString(), "--var", "root=" + target,
                "--var", "port=8080", "--state-dir", ""));

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("plumb: Invalid value for option '--state-dir': an empty path; give a directory\n"
                + "Try 'plumb apply --help'.\n");
        assertThat(target.resolve("etc")).doesNotExist();
    }

    @Test
    void anUnwritableStateDirectoryIsFoundBeforeAnythingChanges() throws Exception {
        Files.writeString(state, "not a directory");

        assertThat(plumb("apply")).isEqualTo(1);
        assertThat(err).isEqualTo("plumb: state directory " + state + " is not writable (it is not a directory); nothing "
                + "was changed. Choose another with --state-dir or $PLUMB_STATE_DIR\n");
        assertThat(target.resolve("etc")).doesNotExist();
    }

    @Test
    void applyHelpSaysHowLongItWaitsForTheRunLock() {
        assertThat(plumb("apply", "--help")).isZero();
        assertThat(out).contains("--lock-timeout=SECONDS").contains("(default: 10)");
    }

    @Test
    void everyCommandAnswersHelp() {
        assertThat(plumb("apply", "--help")).isZero();
        assertThat(out).startsWith("Usage: plumb apply").contains("--no-checks", "--format=FORMAT", "Exit: 0 nothing changed");
        assertThat(plumb("validate", "-h")).isZero();
        assertThat(out).startsWith("Usage: plumb validate");
    }

    @Test
    void theProjectMayBeSpeltAnyWay() throws Exception {
        // Surefire runs in cli/, so these are the README's "-p ." and friends, relative to a working directory.
        Path workingDirectory = Path.of("").toAbsolutePath();
        Path relative = workingDirectory.relativize(Path.of("..", "examples", "quickstart").toAbsolutePath().normalize());
        for (String spelling : List.of(relative.toString(), "./" + relative, "../examples/../examples/quickstart",
                relative + "/.", relative + "/")) {
            InProcess run = InProcess.plumb(List.of("validate", "-p", spelling));
            assertThat(run.exit()).as(spelling + ": " + run.all()).isZero();
            assertThat(run.out()).as(spelling).startsWith("quickstart: valid");
        }
    }

    @Test
    void badOptionValuesAreUsageErrorsThatSayWhatToWrite() {
        assertThat(InProcess.plumb(List.of("validate", "-p", project.directory().toString(), "--var", "workers")).err())
                .isEqualTo("plumb: --var takes KEY=VALUE, e.g. --var workers=4; got 'workers'\nTry 'plumb validate --help'.\n");
        assertThat(plumb("plan", "--hosts", "[")).isEqualTo(1);
        assertThat(err).startsWith("plumb: --hosts: '[' is not a valid pattern: ").contains("use host or group names with *");
        assertThat(target).isEmptyDirectory();
    }

    @Test
    void aMisspeltCommandIsAUsageErrorThatSuggestsTheCommand() {
        InProcess run = InProcess.plumb(List.of("aply"));

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("Did you mean: plumb apply");
    }

    @Test
    void factsOfAnUnknownHostListTheHosts() {
        InProcess run = InProcess.plumb(List.of("facts", "-p", project.directory().toString(), "locl"));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("plumb: no host named 'locl'; hosts: local; did you mean 'local'?\n");
    }

    @Test
    void catalogMasksSecretsUnlessAskedAndKeepsTheirHashes() {
        project.role("""
                resources:
                  - file: /nowhere/secret
                    content: "s3cret-value\\n"
                    sensitive: true
                  - file: /nowhere/public
                    content: "public-value\\n"
                  - group: app
                  - user: app
                    group: app
                    password: "$6$salt$hashvalue"
                """);
        assertThat(plumb("catalog", "local")).as(err).isZero();
        assertThat(out).doesNotContain("s3cret-value", "$6$salt$hashvalue").contains("public-value",
                "\"content\" : \"(sensitive: hidden; --show-sensitive shows it)\"",
                "\"password\" : \"(sensitive: hidden; --show-sensitive shows it)\"",
                "\"sha256\" : \"" + dev.plumb.system.Hashing.sha256("s3cret-value\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(plumb("catalog", "local", "--show-sensitive")).isZero();
        assertThat(out).contains("s3cret-value", "$6$salt$hashvalue");
    }
}

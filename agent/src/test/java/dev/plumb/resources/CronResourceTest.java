package dev.plumb.resources;

import dev.plumb.Fixtures;
import static dev.plumb.Fixtures.content;
import static dev.plumb.Fixtures.instantiate;
import static dev.plumb.Fixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.plumb.agent.BuiltInTypes;
import dev.plumb.api.Action;
import dev.plumb.api.Backup;
import dev.plumb.api.Change;
import dev.plumb.api.CommandRunner;
import dev.plumb.api.Context;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.ResourceException;
import dev.plumb.engine.Engine;
import dev.plumb.engine.InvalidCatalogException;
import dev.plumb.system.BackupStore;
import dev.plumb.system.Hashing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cron jobs written to the real /etc/cron.d, as root, under names starting plumbtest- that are removed after each test. */
class CronResourceTest {

    private static final Path CRON_D = Path.of("/etc/cron.d");
    private static final Path JOB = CRON_D.resolve("plumb-plumbtest-x");
    private static final String HEADER = "# Managed by plumb: cron[plumbtest-x]. Changes made here are overwritten.\n";
    private static final CommandRunner NO_COMMANDS = command -> {
        throw new AssertionError("a cron resource ran " + command);
    };

    /** Whether this test class made /etc/cron.d (on a host without cron), to remove it again at the end. */
    private static boolean createdCronD;

    @TempDir
    Path dir;

    private Path backups;
    private Context context;

    @BeforeAll
    static void needsRootAndCronD() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "writing to /etc/cron.d needs root");
        if (!Files.isDirectory(CRON_D)) {
            Files.createDirectory(CRON_D);
            createdCronD = true;
        }
    }

    @AfterAll
    static void removeCronDIfCreated() throws IOException {
        if (createdCronD) {
            Files.delete(CRON_D);
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        removeTestJobs();
        backups = dir.resolve("backups");
        context = Fixtures.context(NO_COMMANDS, backups);
    }

    /** Removes every file a test may have left in /etc/cron.d, temporary siblings of an atomic write included. */
    @AfterEach
    void removeTestJobs() throws IOException {
        try (Stream<Path> files = Files.list(CRON_D)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("\\.?plumb-plumbtest-.*")).toList()) {
                Files.delete(file);
            }
        }
    }

    private static CronResource cron(Map<String, Object> attributes) {
        return instantiate("cron", "plumbtest-x", attributes);
    }

    private static CronResource nightly() {
        return cron(Map.of("schedule", "0 3 * * *", "command", "/usr/local/bin/backup"));
    }

    @Test
    void applyWritesTheJobFileAsRootsWithMode0644() throws Exception {
        Change change = nightly().converge(context, true);

        assertThat(change.action()).isEqualTo(Action.CREATE);
        assertThat(change.details()).containsExactly("create cron job");
        assertThat(Files.readString(JOB)).isEqualTo(HEADER + "0 3 * * * root /usr/local/bin/backup\n");
        PosixFileAttributes attributes = Files.readAttributes(JOB, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertThat(PosixFilePermissions.toString(attributes.permissions())).isEqualTo("rw-r--r--");
        assertThat(attributes.owner().getName()).isEqualTo("root");
        assertThat(attributes.group().getName()).isEqualTo("root");
    }

    @Test
    void secondApplyChangesNothing() throws Exception {
        nightly().converge(context, true);

        Change second = nightly().converge(context, true);

        assertThat(second.isNeeded()).isFalse();
        assertThat(second.details()).isEmpty();
        assertThat(second.diff()).isNull();
        assertThat(backups).doesNotExist();
    }

    @Test
    void aPlanDescribesTheJobAndWritesNothing() throws Exception {
        Change change = nightly().converge(context, false);

        assertThat(change.action()).isEqualTo(Action.CREATE);
        assertThat(change.details()).containsExactly("create cron job");
        assertThat(change.diff()).isEqualTo("--- /dev/null\n+++ " + JOB + "\n@@ -0,0 +1,2 @@\n+" + HEADER
                + "+0 3 * * * root /usr/local/bin/backup\n");
        assertThat(JOB).doesNotExist();
    }

    @Test
    void aHandEditIsReportedByADryRunWithItsDiffAndRepairedByApply() throws Exception {
        nightly().converge(context, true);
        String edited = HEADER + "0 4 * * * root /usr/local/bin/backup --fast\n";
        Files.writeString(JOB, edited);

        Change drift = nightly().converge(context, false);

        assertThat(drift.action()).isEqualTo(Action.CHANGE);
        assertThat(drift.details()).containsExactly("content changed");
        assertThat(drift.diff()).isEqualTo("--- " + JOB + "\n+++ " + JOB + "\n@@ -1,2 +1,2 @@\n " + HEADER
                + "-0 4 * * * root /usr/local/bin/backup --fast\n+0 3 * * * root /usr/local/bin/backup\n");
        assertThat(Files.readString(JOB)).isEqualTo(edited);

        Change repair = nightly().converge(context, true);

        assertThat(repair.details()).containsExactly("content changed");
        assertThat(Files.readString(JOB)).isEqualTo(HEADER + "0 3 * * * root /usr/local/bin/backup\n");
        String editedSha = Hashing.sha256(edited.getBytes(StandardCharsets.UTF_8));
        assertThat(repair.backups()).containsExactly(new Backup(JOB.toString(), editedSha));
        assertThat(Files.readString(new BackupStore(backups).blob(editedSha))).isEqualTo(edited);
    }

    @Test
    void aChangedScheduleIsShownAsAContentDiff() throws Exception {
        nightly().converge(context, true);

        Change change = cron(Map.of("schedule", "@hourly", "command", "/usr/local/bin/backup")).converge(context, true);

        assertThat(change.action()).isEqualTo(Action.CHANGE);
        assertThat(change.diff()).isEqualTo("--- " + JOB + "\n+++ " + JOB + "\n@@ -1,2 +1,2 @@\n " + HEADER
                + "-0 3 * * * root /usr/local/bin/backup\n+@hourly root /usr/local/bin/backup\n");
    }

    @Test
    void aGroupWritableFileIsMadeSafeForCronAgain() throws Exception {
        nightly().converge(context, true);
        Files.setPosixFilePermissions(JOB, PosixFilePermissions.fromString("rw-rw-r--"));

        Change change = nightly().converge(context, true);

        assertThat(change.details()).containsExactly("mode changed '0664' to '0644'");
        assertThat(change.diff()).isNull();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(JOB))).isEqualTo("rw-r--r--");
    }

    @Test
    void ensureAbsentRemovesTheFileAndKeepsABackup() throws Exception {
        nightly().converge(context, true);
        CronResource absent = cron(Map.of("ensure", "absent"));

        Change plan = absent.converge(context, false);
        assertThat(plan.details()).containsExactly("remove cron job");
        assertThat(JOB).exists();

        Change change = absent.converge(context, true);

        assertThat(change.action()).isEqualTo(Action.REMOVE);
        assertThat(change.details()).containsExactly("remove cron job");
        assertThat(JOB).doesNotExist();
        assertThat(change.backups()).extracting(Backup::path).containsExactly(JOB.toString());
        assertThat(absent.converge(context, true).isNeeded()).isFalse();
    }

    @Test
    void percentSignsAreEscapedForCron() throws Exception {
        cron(Map.of("schedule", "@daily", "command", "tar czf /backup/$(date +%F).tgz /srv")).converge(context, true);

        assertThat(Files.readString(JOB)).isEqualTo(HEADER + "@daily root tar czf /backup/$(date +\\%F).tgz /srv\n");
    }

    @Test
    void variablesComeInNameOrderBeforeTheJobLine() throws Exception {
        cron(Map.of("schedule", "*/5  *  * * mon-fri", "user", "nobody", "command", "true",
                "env", Map.of("PATH", "/usr/bin:/bin", "MAILTO", "ops@example.com", "LANG", "C.UTF-8")))
                .converge(context, true);

        assertThat(Files.readString(JOB)).isEqualTo(HEADER + "LANG=C.UTF-8\nMAILTO=ops@example.com\nPATH=/usr/bin:/bin\n"
                + "*/5 * * * mon-fri nobody true\n");
    }

    @Test
    void anUnknownUserFailsTheApplyAndWritesNothing() throws Exception {
        CronResource job = cron(Map.of("schedule", "@daily", "user", "plumbtest-nobody", "command", "true"));

        assertThat(job.converge(context, false).details()).containsExactly("create cron job");
        assertThatThrownBy(() -> job.converge(context, true)).isInstanceOf(ResourceException.class)
                .hasMessage("user 'plumbtest-nobody' does not exist on this host, and cron skips the jobs of unknown users");
        assertThat(JOB).doesNotExist();
    }

    @Test
    void theJobNeedsItsUserAndOwnsItsFile() {
        assertThat(nightly().autoRequires()).containsExactly("user:root");
        assertThat(cron(Map.of("user", "app")).autoRequires()).containsExactly("user:app");
        assertThat(nightly().location()).isEqualTo(JOB);
        assertThat(nightly().ownsPath()).isTrue();
    }

    @Test
    void aFileResourceOnTheJobsPathConflicts() {
        InvalidCatalogException e = catchThrowableOfType(InvalidCatalogException.class, () -> Engine.prepare(Fixtures.catalog(
                resource("cron", "plumbtest-x", Map.of("schedule", "@daily", "command", "true")),
                resource("file", JOB.toString(), content("x\n"))), BuiltInTypes.REGISTRY));

        assertThat(e.problems()).containsExactly(Diagnostic.ofResource("file:" + JOB, null,
                "manages " + JOB + ", which cron[plumbtest-x] already manages"));
    }

    @Test
    void validationNamesEachBrokenAttribute() {
        CronResource broken = instantiate("cron", "nightly.backup", Map.of("user", "bad user", "ensure", "presnt",
                "schedule", "61 * * * *", "command", "echo 'a\nb'", "env", Map.of("1X", "v", "OK", "a\nb")));

        assertThat(broken.validate()).containsExactly(
                Diagnostic.ofAttribute("name", "'nightly.backup' cannot name a cron job; use letters, digits, _ and - "
                        + "only (cron skips the files in /etc/cron.d whose names hold anything else, such as a dot)"),
                Diagnostic.ofAttribute("ensure", "'presnt' is not one of present, absent; did you mean 'present'?"),
                Diagnostic.ofAttribute("user", "'bad user' is not a user name; expected letters, digits, _ . and -, "
                        + "such as www-data"),
                Diagnostic.ofAttribute("schedule", "'61 * * * *': minute 61 is out of range 0-59"),
                Diagnostic.ofAttribute("command", "holds a newline; cron reads one line per job (join the commands "
                        + "with && or put them in a script)"),
                Diagnostic.ofAttribute("env", "'1X' is not a variable name; expected letters, digits and _, not "
                        + "starting with a digit, such as MAILTO"),
                Diagnostic.ofAttribute("env", "OK holds a newline; cron reads one variable per line"));
    }

    @Test
    void aPresentJobNeedsAScheduleAndACommand() {
        assertThat(cron(Map.of()).validate()).containsExactly(
                Diagnostic.ofAttribute("schedule", "is required"), Diagnostic.ofAttribute("command", "is required"));
        assertThat(cron(Map.of("ensure", "absent")).validate()).isEmpty();
    }

    @Test
    void aCommandEscapedForCronByHandIsRefused() {
        assertThat(cron(Map.of("schedule", "@daily", "command", "date +\\%F")).validate()).containsExactly(
                Diagnostic.ofAttribute("command", "holds \\%; write a plain %, which plumb escapes for cron"));
        assertThat(cron(Map.of("schedule", "@daily", "command", " ")).validate()).containsExactly(
                Diagnostic.ofAttribute("command", "is empty"));
    }
}

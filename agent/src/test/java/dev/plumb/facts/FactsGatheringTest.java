package dev.plumb.facts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a catalog is compiled from beyond the built-in facts: a project's command facts, the installed packages when
 * asked for, and {@code /etc/plumb/facts.d}, of which only what root alone can change is read or run.
 */
class FactsGatheringTest {

    private static final int NOBODY = 65534;

    @TempDir
    Path root;

    private Path factsD;

    @BeforeEach
    void aFactsDirectory() throws IOException {
        factsD = Files.createDirectories(root.resolve("etc/plumb/facts.d"));
    }

    private Map<String, Object> gather(CommandFact... commands) {
        return new Facts(root).gather(new FactRequest(List.of(commands), false));
    }

    private Path write(String name, String content, String mode) throws IOException {
        Path file = factsD.resolve(name);
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    @Test
    void aCommandFactIsTheFirstGroupOfItsPatternInStdoutThenStderr() {
        assertThat(gather(new CommandFact("sshd_version", "echo usage >&2; echo 'OpenSSH_9.2p1 Debian' >&2",
                "OpenSSH_([0-9.]+)"))).containsEntry("sshd_version", "9.2").doesNotContainKey("fact_errors");
    }

    @Test
    void aCommandFactWithoutPatternIsTheWholeOutputStripped() {
        assertThat(gather(new CommandFact("greeting", "printf '  hello\\n\\n'", null))).containsEntry("greeting", "hello");
    }

    @Test
    void aFailingCommandFactSaysWhyUnderItsName() {
        Map<String, Object> facts = gather(new CommandFact("missing", "echo 'no such tool' >&2; exit 3", null),
                new CommandFact("unmatched", "echo 1.2", "OpenSSH_([0-9.]+)"));

        assertThat(facts).doesNotContainKeys("missing", "unmatched");
        assertThat(facts.get("fact_errors")).isEqualTo(Map.of(
                "missing", "command 'echo 'no such tool' >&2; exit 3' exited 3: no such tool",
                "unmatched", "the output of 'echo 1.2' does not match 'OpenSSH_([0-9.]+)': 1.2"));
    }

    @Test
    void aPatternThatBacktracksWithoutEndFailsInTimeInsteadOfHangingTheAgent() {
        long start = System.nanoTime();
        // 25 a's then 2,000 b's: (.*a){26} tries every way to split them before it fails, which takes days.
        Map<String, Object> facts = gather(new CommandFact("slow", "printf %025d 0 | tr 0 a; printf %02000d 0 | tr 0 b",
                "(.*a){26}"));

        assertThat(facts).doesNotContainKey("slow");
        assertThat(((Map<?, ?>) facts.get("fact_errors")).get("slow").toString())
                .startsWith("pattern '(.*a){26}' took more than 2 s to match the output of");
        assertThat(System.nanoTime() - start).isLessThan(java.time.Duration.ofSeconds(30).toNanos());
    }

    @Test
    void factsAnswerARequestOnlyWhenEachOfItsFactsIsThereAndNoneFailed() {
        FactRequest asked = new FactRequest(List.of(new CommandFact("greeting", "echo hi", null)), false);

        assertThat(asked.answeredBy(Map.of("greeting", "hi"))).isTrue();
        assertThat(asked.answeredBy(Map.of("hostname", "web1"))).isFalse();
        assertThat(asked.answeredBy(Map.of("fact_errors", Map.of("greeting", "exited 1")))).isFalse();
        assertThat(new FactRequest(List.of(), true).answeredBy(Map.of("hostname", "web1"))).isFalse();
    }

    @Test
    void packagesAreReadOnlyWhenAskedFor() throws IOException {
        Path status = Files.createDirectories(root.resolve("var/lib/dpkg")).resolve("status");
        Files.writeString(status, "Package: nginx\nStatus: install ok installed\nArchitecture: all\nVersion: 1.22.1-9\n");

        assertThat(new Facts(root).gather(FactRequest.NONE)).doesNotContainKey("packages");
        assertThat(new Facts(root).gather(FactRequest.ALL_BUILT_IN).get("packages"))
                .isEqualTo(Map.of("nginx", Map.of("version", "1.22.1-9", "arch", "all")));
    }

    @Test
    void factsDGivesJsonTextAndExecutableFactsUnderCustom() throws IOException {
        write("rack.json", "{\"row\": 4, \"slots\": [1, 2]}", "rw-r--r--");
        write("owner.txt", "# who to call\nteam = storage\nphone=1234\n", "rw-------");
        write("raid.sh", "#!/bin/sh\necho '{\"level\": 10}'\n", "rwxr-xr-x");
        write("disks", "#!/bin/sh\necho count=2\n", "rwx------");

        Map<String, Object> facts = gather();

        assertThat(facts.get("custom")).isEqualTo(Map.of("rack", Map.of("row", 4, "slots", List.of(1, 2)),
                "owner", Map.of("team", "storage", "phone", "1234"), "raid", Map.of("level", 10),
                "disks", Map.of("count", "2")));
        assertThat(facts).doesNotContainKey("warnings");
    }

    @Test
    void aFactsFileAnotherUserCouldChangeIsSkippedWithAWarning() throws IOException {
        Files.setAttribute(write("theirs.json", "{}", "rw-r--r--"), "unix:uid", NOBODY);
        write("shared.json", "{}", "rw-rw-r--");
        write("run-by-anyone", "#!/bin/sh\necho a=1\n", "rwxrwxrwx");
        Files.createSymbolicLink(factsD.resolve("linked.json"), root.resolve("etc/plumb/elsewhere.json"));
        write("fine.json", "true", "rw-r--r--");

        Map<String, Object> facts = gather();

        assertThat(facts.get("custom")).isEqualTo(Map.of("fine", true));
        assertThat(facts.get("warnings")).isEqualTo(List.of(
                "/etc/plumb/facts.d/linked.json skipped: it is a symbolic link",
                "/etc/plumb/facts.d/run-by-anyone skipped: it is writable by its group or by others (chmod go-w)",
                "/etc/plumb/facts.d/shared.json skipped: it is writable by its group or by others (chmod go-w)",
                "/etc/plumb/facts.d/theirs.json skipped: it is owned by uid 65534, not root (chown root)"));
    }

    @Test
    void aFactsDirectoryAnotherUserCouldChangeIsNotReadAtAll() throws IOException {
        write("fine.json", "true", "rw-r--r--");
        Files.setAttribute(root.resolve("etc/plumb"), "unix:uid", NOBODY);

        Map<String, Object> facts = gather();

        assertThat(facts.get("custom")).isEqualTo(Map.of());
        assertThat(facts.get("warnings")).isEqualTo(List.of(
                "/etc/plumb/facts.d skipped: /etc/plumb is owned by uid 65534, not root (chown root)"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aBrokenFactsFileIsSkippedAndTheOthersRead() throws IOException {
        write("bad.json", "{\"unclosed\": ", "rw-r--r--");
        write("bad.txt", "no equals sign\n", "rw-r--r--");
        write("fails", "#!/bin/sh\necho 'database down' >&2\nexit 2\n", "rwxr-xr-x");
        write("notes.md", "# not a fact\n", "rw-r--r--");
        write("good.txt", "a=b\n", "rw-r--r--");

        Map<String, Object> facts = gather();

        assertThat(facts.get("custom")).isEqualTo(Map.of("good", Map.of("a", "b")));
        assertThat((List<Object>) facts.get("warnings")).hasSize(4).anySatisfy(w -> assertThat(w.toString())
                        .startsWith("/etc/plumb/facts.d/bad.json skipped: it is not valid JSON"))
                .contains("/etc/plumb/facts.d/bad.txt skipped: line 1 is not KEY=VALUE: no equals sign",
                        "/etc/plumb/facts.d/fails skipped: it exited 2: database down",
                        "/etc/plumb/facts.d/notes.md skipped: it is neither executable nor NAME.json or NAME.txt");
    }
}

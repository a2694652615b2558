package dev.plumb.agent.pull;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

    @TempDir
    Path dir;

    private final StringWriter log = new StringWriter();

    private Spool spool(int limit) {
        return new Spool(dir.resolve("spool"), limit, new AgentLog(new PrintWriter(log), Clock.systemUTC()));
    }

    /** Spools {@code runId}, dated {@code second} seconds into the epoch, as if written then. */
    private static void add(Spool spool, String runId, int second) throws Exception {
        Path file = spool.add(runId, ("{\"runId\":\"" + runId + "\"}").getBytes(StandardCharsets.UTF_8));
        Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(second)));
    }

    private static List<String> names(List<Path> files) {
        return files.stream().map(file -> file.getFileName().toString()).toList();
    }

    @Test
    void reportsWaitOldestFirstReadableByTheAgentAlone() throws Exception {
        Spool spool = spool(10);
        add(spool, "b", 2);
        add(spool, "c", 3);
        add(spool, "a", 1);

        assertThat(names(spool.waiting())).containsExactly("a.json", "b.json", "c.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("spool/a.json"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("spool"))))
                .isEqualTo("rwx------");
    }

    @Test
    void aFullSpoolDropsItsOldestReportAndSaysSo() throws Exception {
        Spool spool = spool(3);
        add(spool, "a", 1);
        add(spool, "b", 2);
        add(spool, "c", 3);

        add(spool, "d", 4);

        assertThat(names(spool.waiting())).containsExactly("b.json", "c.json", "d.json");
        assertThat(log.toString()).contains("plumb-agent: spool " + dir.resolve("spool") + " holds 3 reports, its limit: "
                + "dropped the oldest, a.json, which the server never accepted\n");
    }

    @Test
    void aRejectedReportLeavesTheQueue() throws Exception {
        Spool spool = spool(10);
        add(spool, "a", 1);
        add(spool, "b", 2);

        Path rejected = spool.reject(spool.waiting().get(0));

        assertThat(names(spool.waiting())).containsExactly("b.json");
        assertThat(rejected).isEqualTo(dir.resolve("spool/rejected/a.json")).exists();
    }
}

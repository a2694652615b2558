package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's walk-through, on the shipped example, moved into a temporary directory. */
class QuickstartTest {

    private static final Path QUICKSTART = Path.of("..", "examples", "quickstart").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private String out;

    /** JUnit makes its directory 0700: opened, so that plumb shows the diffs of what it manages below. */
    @BeforeEach
    void openToEveryUser() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private int plumb(String command) {
        InProcess run = InProcess.plumb(List.of(command, "-p", QUICKSTART.toString(), "--var", "root=" + dir.resolve("site"),
                "--state-dir", dir.resolve("state").toString()));
        out = run.all();
        return run.exit();
    }

    @Test
    void quickstartPlansConvergesIsIdempotentAndRepairsDrift() throws Exception {
        Path site = dir.resolve("site");
        assertThat(plumb("plan")).as(out).isEqualTo(2);
        assertThat(out).containsPattern("local: 18 resources, 17 to change, 0 failed").doesNotContain("skipped");
        assertThat(site).doesNotExist();

        assertThat(plumb("apply")).as(out).isEqualTo(2);
        assertThat(out).containsPattern("local: 18 resources, 17 changed, 0 failed");
        assertThat(site.resolve("www/index.html")).content().contains("<h1>Hello from dev</h1>", "shop.example.test:8080");
        assertThat(site.resolve("app/app.conf")).hasContent("# Managed by plumb: edits here are reverted on the next apply.\n"
                + "[server]\nport = 8080\nworkers = 4\nrelease = 1.4.2");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(site.resolve("app/app.conf")))).isEqualTo("rw-r--r--");
        assertThat(Files.readSymbolicLink(site.resolve("current"))).isEqualTo(site.resolve("releases/1.4.2"));
        assertThat(site.resolve("etc/hosts")).hasContent("127.0.0.1 app.internal");
        assertThat(Files.readAllLines(site.resolve("app/reloads.log"))).hasSize(1);

        assertThat(plumb("apply")).as(out).isZero();
        assertThat(out).startsWith("local: 18 resources, 0 changed, 0 failed");

        Files.writeString(site.resolve("app/app.conf"), "[server]\nport = 1\n");
        Files.writeString(site.resolve("sites/stray.conf"), "left by hand\n");
        Files.writeString(site.resolve("etc/hosts"), "10.1.1.1 cache.internal\n", java.nio.file.StandardOpenOption.APPEND);
        assertThat(plumb("check")).isEqualTo(2);
        assertThat(out).contains("-port = 1", "+port = 8080", "purge unmanaged " + site.resolve("sites/stray.conf"),
                "remove 1 line from " + site.resolve("etc/hosts")).containsPattern("local: 18 resources, 4 drifted, 0 failed");
        assertThat(site.resolve("sites/stray.conf")).exists();

        assertThat(plumb("apply")).isEqualTo(2);
        assertThat(site.resolve("sites/stray.conf")).doesNotExist();
        assertThat(site.resolve("app/app.conf")).content().contains("port = 8080");
        assertThat(Files.readAllLines(site.resolve("app/reloads.log"))).hasSize(2);
        assertThat(plumb("check")).isZero();
    }
}

package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/service on this machine, as root, for real: the package from its .deb, the user and group, the
 * configuration, the running daemon, the cron job, and the checks that the daemon does its job; a
 * configuration change restarts the daemon once, and a daemon stopped by hand fails a check; with
 * {@code state=absent} the example takes all of it off the host again in one run. The test removes everything
 * the example made. It does not run where the example is already applied, so that it
 * never takes away what an operator set up.
 */
class ServiceExampleTest {

    private static final Path EXAMPLE = Path.of("..", "examples", "service").toAbsolutePath().normalize();
    private static final Path HEARTBEAT = Path.of("/var/lib/plumb-demo/heartbeat");
    private static final Path PID_FILE = Path.of("/run/plumb-demo.pid");

    @TempDir
    Path dir;

    private String out;

    @BeforeEach
    void onlyWhereTheExampleIsNotApplied() throws Exception {
        assumeFalse(Files.exists(Path.of("/etc/init.d/plumb-demo")) || Files.exists(Path.of("/etc/plumb-demo")),
                "examples/service is applied on this machine; the test would remove it");
    }

    @AfterEach
    void removeEverythingTheExampleMade() throws Exception {
        run("/etc/init.d/plumb-demo", "stop");
        run("update-rc.d", "-f", "plumb-demo", "remove");
        run("dpkg", "--purge", "plumb-demo");
        run("userdel", "plumb-demo");
        run("groupdel", "plumb-demo");
        run("rm", "-rf", "/etc/plumb-demo", "/var/lib/plumb-demo", "/etc/cron.d/plumb-demo-report", PID_FILE.toString());
    }

    /** Runs a command, whatever its outcome; nothing when it is a program that is not there (removed already). */
    private static void run(String... argv) throws IOException, InterruptedException {
        if (argv[0].startsWith("/") && !Files.exists(Path.of(argv[0]))) {
            return;
        }
        new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    private int plumb(String... arguments) {
        List<String> args = new ArrayList<>(List.of(arguments));
        args.addAll(List.of("-p", EXAMPLE.toString(), "--state-dir", dir.resolve("state").toString(), "--var", "interval=1"));
        InProcess run = InProcess.plumb(args);
        out = run.all();
        return run.exit();
    }

    /** Waits (up to 30 s, for a busy machine) for the daemon's heartbeat to say {@code message}. */
    private static String heartbeatSaying(String message) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        String heartbeat = "";
        while (Instant.now().isBefore(deadline)) {
            heartbeat = Files.exists(HEARTBEAT) ? Files.readString(HEARTBEAT) : "";
            if (heartbeat.endsWith(" " + message + "\n")) {
                return heartbeat;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the heartbeat did not say '" + message + "' within 30 s; it says '" + heartbeat + "'");
    }

    @Test
    void theExampleInstallsRunsAndRestartsItsServiceOnceWhenItsConfigurationChanges() throws Exception {
        assertThat(plumb("apply")).as(out).isEqualTo(2);
        assertThat(out).contains("install version 1.0 from plumb-demo_1.0_all.deb", "start service", "enable service",
                "create cron job").containsPattern("local: 8 resources, 8 changed, 0 failed")
                .contains("ok the daemon runs (process[plumb-demo-daemon])\n")
                .containsPattern("local: 4 checks, 4 passed, 0 failed");
        heartbeatSaying("hello from plumb");
        String pid = Files.readString(PID_FILE).strip();
        assertThat(Files.readString(Path.of("/proc", pid, "status"))).containsPattern("Uid:\\s+" + uid("plumb-demo"));
        assertThat(Path.of("/etc/cron.d/plumb-demo-report")).content()
                .contains("*/5 * * * * plumb-demo cat /var/lib/plumb-demo/heartbeat >> /var/lib/plumb-demo/report.log");

        assertThat(plumb("apply")).as(out).isZero();
        assertThat(out).startsWith("local: 8 resources, 0 changed, 0 failed");

        assertThat(plumb("apply", "--var", "message=changed")).as(out).isEqualTo(2);
        assertThat(out).contains("restart (notified by file[/etc/plumb-demo/demo.conf])")
                .containsPattern("local: 8 resources, 2 changed, 0 failed");
        heartbeatSaying("changed");
        assertThat(Files.readString(PID_FILE).strip()).isNotEqualTo(pid);

        run("/etc/init.d/plumb-demo", "stop");
        assertThat(plumb("check", "--var", "message=changed")).as(out).isEqualTo(6);
        assertThat(out).contains("~ service[plumb-demo]", "start service").containsPattern("1 drifted")
                .contains("! the daemon runs (process[plumb-demo-daemon]) check failed\n"
                        + "    running: expected a process named plumb-demo-daemon, got none\n")
                .containsPattern("local: 4 checks, 3 passed, 1 failed");
        assertThat(plumb("apply", "--var", "message=changed")).as(out).isEqualTo(2);
        assertThat(out).containsPattern("local: 4 checks, 4 passed, 0 failed");
        heartbeatSaying("changed");
    }

    @Test
    void theExampleIsRemovedInOneRunAndASecondRemovalChangesNothing() throws Exception {
        assertThat(plumb("apply")).as(out).isEqualTo(2);

        assertThat(plumb("apply", "--var", "state=absent")).as(out).isEqualTo(2);
        // userdel also removes the group named after the user where login.defs says USERGROUPS_ENAB yes (Debian's
        // default); elsewhere the group resource removes it.
        assertThat(out).contains("stop service", "disable service", "purge version 1.0", "remove user")
                .containsPattern("local: 8 resources, [78] changed, 0 failed")
                .containsPattern("local: 2 checks, 2 passed, 0 failed");
        assertThat(out.indexOf("stop service")).as("the daemon stops before its package goes: " + out)
                .isLessThan(out.indexOf("purge version 1.0"));

        assertThat(plumb("apply", "--var", "state=absent")).as(out).isZero();
        assertThat(out).startsWith("local: 8 resources, 0 changed, 0 failed");

        assertThat(succeeds("dpkg-query", "--show", "plumb-demo")).as("the package is known to dpkg").isFalse();
        assertThat(succeeds("getent", "passwd", "plumb-demo")).as("the user exists").isFalse();
        assertThat(succeeds("getent", "group", "plumb-demo")).as("the group exists").isFalse();
        for (String path : List.of("/etc/init.d/plumb-demo", "/etc/plumb-demo", "/var/lib/plumb-demo",
                "/etc/cron.d/plumb-demo-report", PID_FILE.toString())) {
            assertThat(Path.of(path)).doesNotExist();
        }
        assertThat(bootLinks()).isEmpty();
    }

    /** The links to plumb-demo's init script in /etc/rc0.d to /etc/rc6.d and /etc/rcS.d. */
    private static List<Path> bootLinks() throws IOException {
        List<Path> links = new ArrayList<>();
        for (String level : List.of("0", "1", "2", "3", "4", "5", "6", "S")) {
            Path directory = Path.of("/etc/rc" + level + ".d");
            if (Files.isDirectory(directory)) {
                try (var entries = Files.list(directory)) {
                    entries.filter(link -> link.getFileName().toString().matches("[SK]\\d\\dplumb-demo")).forEach(links::add);
                }
            }
        }
        return links;
    }

    private static boolean succeeds(String... argv) throws IOException, InterruptedException {
        return new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                .waitFor() == 0;
    }

    private static String uid(String user) throws IOException {
        return Files.readAllLines(Path.of("/etc/passwd")).stream().filter(line -> line.startsWith(user + ":"))
                .map(line -> line.split(":")[2]).findFirst().orElseThrow();
    }
}

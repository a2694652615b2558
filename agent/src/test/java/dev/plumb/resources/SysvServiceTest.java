package dev.plumb.resources;

import dev.plumb.Fixtures;
import static dev.plumb.Fixtures.catalog;
import static dev.plumb.Fixtures.resource;
import static dev.plumb.Fixtures.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.plumb.agent.BuiltInTypes;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.ResourceResult;
import dev.plumb.catalog.Status;
import dev.plumb.engine.Engine;
import dev.plumb.system.ProcessCommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The service contract for the sysv provider: a real LSB init script in /etc/init.d whose daemon
 * {@code start-stop-daemon} starts in the background, and real {@code update-rc.d} links.
 */
class SysvServiceTest extends ServiceResourceContract {

    private static final String SCRIPT = """
            #!/bin/sh
            ### BEGIN INIT INFO
            # Provides:          @NAME@
            # Required-Start:    $remote_fs
            # Required-Stop:     $remote_fs
            # Default-Start:     2 3 4 5
            # Default-Stop:      0 1 6
            # Short-Description: plumb test daemon
            ### END INIT INFO
            PIDFILE=/run/@NAME@.pid
            WORK=@WORK@
            case "$1" in
              start)
                if [ -e "$WORK/fail" ]; then
                  echo "Starting @NAME@: failed"
                  echo "@NAME@: cannot bind 127.0.0.1:8080: Address already in use" >&2
                  exit 1
                fi
                start-stop-daemon --start --quiet --background --make-pidfile --pidfile "$PIDFILE" --exec /bin/sleep -- 1000 || exit 1
                # Started once the forked child has become the sleep, which status and stop look for.
                tries=0
                until start-stop-daemon --status --pidfile "$PIDFILE" --exec /bin/sleep; do
                  tries=$((tries + 1))
                  [ "$tries" -lt 250 ] || { echo "@NAME@ did not come up" >&2; exit 1; }
                  sleep 0.02
                done
                echo start >> "$WORK/starts"
                ;;
              stop)
                start-stop-daemon --stop --quiet --oknodo --retry TERM/5/KILL/5 --remove-pidfile --pidfile "$PIDFILE" --exec /bin/sleep
                ;;
              restart)
                "$0" stop && "$0" start
                ;;
              reload)
                echo reload >> "$WORK/reloads"
                ;;
              status)
                start-stop-daemon --status --pidfile "$PIDFILE" --exec /bin/sleep
                ;;
              *)
                echo "Usage: $0 {start|stop|restart|reload|status}" >&2
                exit 3
                ;;
            esac
            """;

    private Path script() {
        return Path.of("/etc/init.d", name);
    }

    private Path pidFile() {
        return Path.of("/run", name + ".pid");
    }

    @Override
    String provider() {
        return "sysv";
    }

    @Override
    void assumeAvailable() {
        assumeTrue(Boolean.TRUE.equals(Fixtures.FACTS.get("root")), "installing an init script in /etc/init.d needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/update-rc.d")) && Files.isExecutable(Path.of("/usr/sbin/start-stop-daemon")),
                "the sysv provider needs update-rc.d and start-stop-daemon");
    }

    @Override
    void install() throws IOException {
        Files.writeString(script(), SCRIPT.replace("@NAME@", name).replace("@WORK@", work.toString()));
        must("chmod 0755 " + script());
    }

    @Override
    void uninstall() throws IOException {
        if (Files.exists(script())) {
            sh(script() + " stop");
        }
        if (Files.exists(pidFile())) {
            // The script could not stop it: a broken test must not leave its daemon behind.
            ProcessHandle.of(Long.parseLong(Files.readString(pidFile()).strip())).ifPresent(ProcessHandle::destroyForcibly);
            Files.delete(pidFile());
        }
        for (Path link : bootLinks()) {
            Files.delete(link);
        }
        Files.deleteIfExists(script());
    }

    /** The S and K links of the test service in every /etc/rc?.d. */
    private List<Path> bootLinks() throws IOException {
        List<Path> links = new ArrayList<>();
        for (char level : "0123456S".toCharArray()) {
            Path directory = Path.of("/etc/rc" + level + ".d");
            if (Files.isDirectory(directory)) {
                try (Stream<Path> entries = Files.list(directory)) {
                    entries.filter(l -> l.getFileName().toString().matches("[SK]\\d\\d" + name)).forEach(links::add);
                }
            }
        }
        return links;
    }

    @Override
    boolean runs() throws IOException {
        int status = sh(script() + " status").exitCode();
        assertThat(status).as("LSB status exit code").isIn(0, 3);
        return status == 0;
    }

    @Override
    boolean startsAtBoot() throws IOException {
        return bootLinks().stream().anyMatch(l -> l.toString().matches("/etc/rc[2-5]\\.d/S\\d\\d" + name));
    }

    @Override
    long pid() throws IOException {
        return Long.parseLong(Files.readString(pidFile()).strip());
    }

    @Override
    void control(String verb) throws IOException {
        must(script() + " " + verb);
    }

    @Override
    String startFailureEvidence() {
        return "'/etc/init.d/" + name + " start' failed with exit code 1:\nStarting " + name + ": failed\n"
                + name + ": cannot bind 127.0.0.1:8080: Address already in use";
    }

    // --- sysv only ---------------------------------------------------------------------------------------

    private ResourceResult applyService(Object... attributes) throws Exception {
        Engine engine = new Engine(Fixtures.context(new ProcessCommandRunner(), work.resolve("backups")),
                BuiltInTypes.REGISTRY, 1, Clock.systemUTC());
        return engine.run(catalog(resource("service", name, with(Map.of("provider", "sysv"), attributes))), Mode.APPLY)
                .resources().get(0);
    }

    private void replaceScript(String text) throws IOException {
        Files.writeString(script(), text);
    }

    @Test
    void aScriptWithoutAnLsbHeaderCannotBeEnabledAndSaysWhy() throws Exception {
        replaceScript("#!/bin/sh\n[ \"$1\" = status ] && exit 3\nexit 0\n");

        ResourceResult result = applyService("enabled", true);

        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.error()).isEqualTo("'update-rc.d " + name + " enable' failed with exit code 1:\n"
                + "update-rc.d: error: " + name + " Default-Start contains no runlevels, aborting.");
        assertThat(startsAtBoot()).isFalse();
    }

    @Test
    void aScriptThatStartsOnlyInSingleUserModeCannotBeEnabledForTheMultiUserRunlevels() throws Exception {
        replaceScript(SCRIPT.replace("@NAME@", name).replace("@WORK@", work.toString())
                .replace("# Default-Start:     2 3 4 5", "# Default-Start:     S"));

        ResourceResult result = applyService("enabled", true);

        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.error()).isEqualTo("update-rc.d made no start link for " + name + " in /etc/rc2.d to /etc/rc5.d; "
                + "the Default-Start line of the LSB header in " + script() + " names no runlevel 2 to 5");
    }

    @Test
    void aStatusThatCannotTellWhetherItRunsFailsWithTheScriptsOutput() throws Exception {
        replaceScript("#!/bin/sh\necho \"cannot read /etc/" + name + ".conf\" >&2\nexit 4\n");

        ResourceResult result = applyService("running", true);

        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.error()).isEqualTo("'" + script() + " status' exited with 4; plumb reads whether the service runs "
                + "from its LSB status exit code (0 running, 3 stopped):\ncannot read /etc/" + name + ".conf");
    }

    @Test
    void aScriptThatIsNotExecutableFails() throws Exception {
        must("chmod 0644 " + script());

        ResourceResult result = applyService("running", true);

        assertThat(result.error()).isEqualTo(script() + " is not executable; make it mode 0755");
    }
}

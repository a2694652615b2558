package dev.plumb.agent.pull;

import dev.plumb.api.Command;
import dev.plumb.api.CommandResult;
import dev.plumb.api.CommandRunner;
import dev.plumb.system.AtomicFiles;
import dev.plumb.system.FileAttributes;
import dev.plumb.system.FileErrors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Installs the agent as a service that starts at boot: a systemd unit where systemd is PID 1 (it made
 * {@code /run/systemd/system}), else a sysv init script run by start-stop-daemon, logging to
 * {@code /var/log/plumb-agent.log}. Either way SIGTERM reaches the agent alone first, which stops its run in order.
 * Paths are the host's, under {@code root} ({@code /} but in tests); commands run through {@code commands}.
 */
public final class ServiceInstaller {

    static final Path UNIT = Path.of("/etc/systemd/system/plumb-agent.service");
    static final Path INIT_SCRIPT = Path.of("/etc/init.d/plumb-agent");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);
    /**
     * What the service's command line may hold, so that neither systemd ({@code %}, {@code $}, quotes) nor sh
     * reads anything in it but words.
     */
    private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_./:@+=,-]+");

    private final Path root;
    private final CommandRunner commands;

    public ServiceInstaller(Path root, CommandRunner commands) {
        this.root = root;
        this.commands = commands;
    }

    /** What installing writes (a file, its mode, its content) and then runs to enable and (re)start the service. */
    public record Plan(Path file, String mode, String content, List<List<String>> commands) {

        /** The plan as {@code install --dry-run} prints it. */
        public String describe() {
            StringBuilder text = new StringBuilder("would write " + file + " (mode " + mode + "):\n" + content);
            for (List<String> command : commands) {
                text.append("would run: ").append(String.join(" ", command)).append('\n');
            }
            return text.toString();
        }
    }

    /**
     * The command that runs the agent as this process runs: this JVM, this class path, the agent's main class, then
     * {@code arguments} ({@code run --server ...}).
     */
    public static List<String> thisAgent(List<String> arguments) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classPath = String.join(":", Stream.of(System.getProperty("java.class.path").split(":"))
                .map(entry -> Path.of(entry).toAbsolutePath().normalize().toString()).toList());
        List<String> command = new ArrayList<>(List.of(java, "-cp", classPath, "dev.plumb.agent.AgentMain"));
        command.addAll(arguments);
        return command;
    }

    /** What installing {@code agent}, the service's command line, would write and run on this host. */
    public Plan plan(List<String> agent) throws PullException {
        for (String word : agent) {
            if (!PLAIN_WORD.matcher(word).matches()) {
                throw new PullException("cannot write '" + word + "' into a service's command line: only letters, "
                        + "digits and _ . / : @ + = , - are taken there; move plumb, Java or the state directory to a "
                        + "path without other characters");
            }
        }
        String command = String.join(" ", agent);
        if (Files.isDirectory(onHost(Path.of("/run/systemd/system")))) {
            return new Plan(UNIT, "0644", unit(command), List.of(
                    List.of("systemctl", "daemon-reload"),
                    List.of("systemctl", "enable", "plumb-agent.service"),
                    List.of("systemctl", "restart", "plumb-agent.service")));
        }
        List<String> enable = Files.isExecutable(onHost(Path.of("/usr/sbin/update-rc.d")))
                ? List.of("update-rc.d", "plumb-agent", "defaults") : List.of("chkconfig", "--add", "plumb-agent");
        return new Plan(INIT_SCRIPT, "0755", initScript(agent.get(0), String.join(" ", agent.subList(1, agent.size()))),
                List.of(enable, List.of(INIT_SCRIPT.toString(), "restart")));
    }

    /** Writes the plan's file and runs its commands, stopping at the first that fails. */
    public void install(Plan plan) throws PullException {
        Path file = onHost(plan.file());
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.write(file, plan.content().getBytes(StandardCharsets.UTF_8), new FileAttributes(plan.mode(), null, null));
        } catch (IOException e) {
            throw new PullException("cannot write " + plan.file() + ": " + FileErrors.describe(e)
                    + (e instanceof AccessDeniedException ? "; install as root" : ""));
        }
        for (List<String> argv : plan.commands()) {
            CommandResult result;
            try {
                result = commands.run(new Command(argv, null, null, COMMAND_TIMEOUT));
            } catch (IOException e) {
                throw new PullException("wrote " + plan.file() + ", but " + String.join(" ", argv) + " did not run: "
                        + e.getMessage());
            }
            if (result.exitCode() != 0) {
                throw new PullException("wrote " + plan.file() + ", but " + String.join(" ", argv) + " failed (exit "
                        + result.exitCode() + "): " + (result.stderr() + result.stdout()).strip());
            }
        }
    }

    private Path onHost(Path path) {
        return root.resolve(root.getRoot().relativize(path.toAbsolutePath()));
    }

    private static String unit(String command) {
        return """
                # Written by plumb-agent install; install again to change it.
                [Unit]
                Description=plumb agent: converges this host on its catalog from its plumb server
                Wants=network-online.target
                After=network-online.target

                [Service]
                Type=simple
                ExecStart=%s
                # SIGTERM to the agent alone: it stops its run in order and ends the commands it started. What is
                # left after TimeoutStopSec gets SIGKILL.
                KillMode=mixed
                TimeoutStopSec=60
                Restart=on-failure
                RestartSec=30

                [Install]
                WantedBy=multi-user.target
                """.formatted(command);
    }

    private static String initScript(String java, String arguments) {
        return """
                #!/bin/sh
                ### BEGIN INIT INFO
                # Provides:          plumb-agent
                # Required-Start:    $remote_fs $network $syslog
                # Required-Stop:     $remote_fs $network $syslog
                # Default-Start:     2 3 4 5
                # Default-Stop:      0 1 6
                # Short-Description: plumb agent
                # Description:       Converges this host on its catalog from its plumb server.
                ### END INIT INFO
                # Written by plumb-agent install; install again to change it.

                PIDFILE=/run/plumb-agent.pid
                LOGFILE=/var/log/plumb-agent.log
                JAVA=%s
                ARGUMENTS="%s"

                start() {
                    start-stop-daemon --start --quiet --oknodo --background --make-pidfile --pidfile "$PIDFILE" \\
                        --exec "$JAVA" --startas /bin/sh -- -c "exec $JAVA $ARGUMENTS >>$LOGFILE 2>&1"
                }

                # SIGTERM first: the agent stops its run in order and ends the commands it started; SIGKILL after 60 s.
                stop() {
                    start-stop-daemon --stop --quiet --oknodo --retry TERM/60/KILL/5 --pidfile "$PIDFILE" --exec "$JAVA"
                    rm -f "$PIDFILE"
                }

                case "$1" in
                    start) start ;;
                    stop) stop ;;
                    restart|force-reload) stop; start ;;
                    status)
                        if start-stop-daemon --status --pidfile "$PIDFILE" --exec "$JAVA"; then
                            echo "plumb-agent is running"
                        else
                            echo "plumb-agent is not running"
                            exit 3
                        fi
                        ;;
                    *) echo "Usage: $0 {start|stop|restart|force-reload|status}" >&2; exit 3 ;;
                esac
                """.formatted(java, arguments);
    }
}

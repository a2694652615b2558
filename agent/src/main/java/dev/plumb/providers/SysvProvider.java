package dev.plumb.providers;

import dev.plumb.api.Command;
import dev.plumb.api.CommandResult;
import dev.plumb.api.CommandRunner;
import dev.plumb.api.ResourceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Services as System V init scripts: {@code /etc/init.d/NAME start|stop|restart|reload|status}, whose LSB
 * status exit code says whether the service runs, and {@code update-rc.d} for the boot links. A service
 * starts at boot when an {@code S??NAME} link is in one of {@code /etc/rc2.d} to {@code /etc/rc5.d}, the
 * multi-user runlevels. The default where systemd is not PID 1.
 */
public final class SysvProvider implements ServiceProvider {

    private static final Path INIT_D = Path.of("/etc/init.d");
    private static final List<String> MULTI_USER_RUNLEVELS = List.of("2", "3", "4", "5");
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONTROL_TIMEOUT = Duration.ofMinutes(5);
    private static final int EVIDENCE_LINES = 20;

    private final CommandRunner commands;

    public SysvProvider(CommandRunner commands) {
        this.commands = commands;
    }

    @Override
    public String name() {
        return "sysv";
    }

    /** Init scripts run anywhere; under systemd they bypass it, so only a resource that names this provider gets it. */
    @Override
    public boolean suitable(Map<String, Object> facts) {
        return true;
    }

    @Override
    public boolean defaultFor(Map<String, Object> facts) {
        return "sysv".equals(facts.get("init_system"));
    }

    @Override
    public Optional<State> query(String service) throws IOException, ResourceException {
        Path script = script(service);
        if (!Files.isRegularFile(script)) {
            return Optional.empty();
        }
        if (!Files.isExecutable(script)) {
            throw new ResourceException(script + " is not executable; make it mode 0755");
        }
        CommandResult status = run(List.of(script.toString(), "status"), QUERY_TIMEOUT);
        // LSB: 0 running; 1 dead with a pid file left, 2 dead with a lock file left, 3 not running; 4 unknown.
        if (status.exitCode() > 3) {
            throw new ResourceException("'" + script + " status' exited with " + status.exitCode() + "; plumb reads "
                    + "whether the service runs from its LSB status exit code (0 running, 3 stopped)" + evidence(status));
        }
        return Optional.of(State.of(status.succeeded(), startsAtBoot(service)));
    }

    @Override
    public String missing(String service) {
        return "there is no init script " + script(service) + "; install the package that provides it, or check the name";
    }

    @Override
    public void control(String service, Control control) throws IOException, ResourceException {
        List<String> argv = List.of(script(service).toString(), control.word());
        CommandResult result = run(argv, CONTROL_TIMEOUT);
        if (!result.succeeded()) {
            throw new ResourceException("'" + String.join(" ", argv) + "' failed with exit code " + result.exitCode()
                    + evidence(result));
        }
    }

    /**
     * Enables with {@code defaults} (the links the script's LSB header asks for, when it has none yet) and
     * {@code enable} (turns its stop links into start links); disables by turning the start links of the
     * multi-user runlevels, the ones {@link #startsAtBoot} looks at, into stop links.
     */
    @Override
    public void enable(String service, boolean enabled) throws IOException, ResourceException {
        if (enabled) {
            updateRcD(List.of(service, "defaults"));
            updateRcD(List.of(service, "enable"));
            if (!startsAtBoot(service)) {
                throw new ResourceException("update-rc.d made no start link for " + service + " in /etc/rc2.d to /etc/rc5.d; "
                        + "the Default-Start line of the LSB header in " + script(service) + " names no runlevel 2 to 5");
            }
        } else {
            updateRcD(Stream.concat(Stream.of(service, "disable"), MULTI_USER_RUNLEVELS.stream()).toList());
        }
    }

    private void updateRcD(List<String> arguments) throws IOException, ResourceException {
        List<String> argv = new ArrayList<>(List.of("update-rc.d"));
        argv.addAll(arguments);
        CommandResult result = run(argv, CONTROL_TIMEOUT);
        if (!result.succeeded()) {
            throw new ResourceException("'" + String.join(" ", argv) + "' failed with exit code " + result.exitCode()
                    + evidence(result));
        }
    }

    private static boolean startsAtBoot(String service) throws IOException {
        Pattern startLink = Pattern.compile("S\\d\\d" + Pattern.quote(service));
        for (String level : MULTI_USER_RUNLEVELS) {
            Path directory = Path.of("/etc/rc" + level + ".d");
            if (!Files.isDirectory(directory)) {
                continue;
            }
            try (Stream<Path> links = Files.list(directory)) {
                if (links.anyMatch(link -> startLink.matcher(link.getFileName().toString()).matches())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Path script(String service) {
        return INIT_D.resolve(service);
    }

    /** The script's own output, both streams, as evidence after a message: init scripts report on either. */
    private static String evidence(CommandResult result) {
        String output = Stream.of(result.stdout().strip(), result.stderr().strip()).filter(s -> !s.isEmpty())
                .reduce((out, err) -> out + "\n" + err).orElse("");
        if (output.isEmpty()) {
            return " and no output";
        }
        List<String> lines = output.lines().toList();
        return ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - EVIDENCE_LINES), lines.size()));
    }

    private CommandResult run(List<String> argv, Duration timeout) throws IOException {
        return commands.run(new Command(argv, null, Map.of(), timeout));
    }
}

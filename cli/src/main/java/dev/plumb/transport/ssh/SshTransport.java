package dev.plumb.transport.ssh;

import dev.plumb.agent.RunRefusedException;
import dev.plumb.agent.StateDirectory;
import dev.plumb.catalog.Json;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.RunReport;
import dev.plumb.compiler.CompiledCatalog;
import dev.plumb.compiler.Project;
import dev.plumb.facts.FactRequest;
import dev.plumb.report.ReportStore;
import dev.plumb.system.FileErrors;
import dev.plumb.transport.HostUnreachableException;
import dev.plumb.transport.RunOptions;
import dev.plumb.transport.Transport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;

/**
 * A host reached over SSH. One session serves the host's whole run: the first step connects, finds Java and sends
 * the agent jar if the host lacks it, and every step then runs {@code plumb-agent} there on a channel of its own,
 * the catalog on its standard input (it may hold secrets: it never touches the host's disk), the report back on its
 * standard output. Every fault ends this host alone, in one line.
 */
public final class SshTransport implements Transport {

    /** Long enough for an agent told to stop to write its report (it allows itself 30 s). */
    private static final Duration REPORT_WAIT = Duration.ofSeconds(35);
    /**
     * The agent runs briefly: the serial collector and C1 start it fastest, and reflection through the JVM's native
     * accessors spares it generating classes for each constructor of the catalog's records (see bin/plumb-java.sh; a
     * JDK that does not know the property ignores it). The JVM's own messages (a stale class-data archive, say) go to
     * stderr, errors only, never into the report on stdout.
     */
    private static final String JVM_OPTIONS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -Xlog:disable "
            + "-Xlog:all=error:stderr -Djdk.reflect.useNativeAccessorOnly=true";
    private static final TypeReference<Map<String, Object>> FACTS = new TypeReference<>() { };

    private final Project.Host host;
    private final SshConnector connector;
    /** What the project asks of the host's facts, sent to the agent's session before it prints them. */
    private final FactRequest factRequest;
    private volatile SshConnector.Connection connection;
    /** When the current step must end by (of System.nanoTime): the run timeout from connecting, then from begin(). */
    private volatile long deadline;
    private volatile HostSetup setup;
    private RunOptions runOptions;
    private Path reportDirectory;
    private volatile RemoteCommand running;
    /** The agent's session on the host: started by {@link #facts}, given its catalog by {@link #run}. */
    private volatile RemoteCommand session;
    /** Where the report starts in the session's output: after the facts. */
    private int reportStart;
    /** Where the session's JVM writes a class-data archive at its exit, when the host has none yet; else null. */
    private String newArchive;
    private volatile boolean interrupted;

    public SshTransport(Project.Host host, SshConnector connector, FactRequest factRequest) {
        this.host = host;
        this.connector = connector;
        this.factRequest = factRequest;
    }

    /**
     * The host's facts, from the agent's session there ({@code plumb-agent session}, as root with {@code become}),
     * which is sent the project's {@link FactRequest} first and then waits for the catalog compiled from the facts:
     * the host's one agent process of the run.
     */
    @Override
    public Map<String, Object> facts() throws HostUnreachableException {
        HostSetup ready;
        try {
            ready = ready();
        } catch (HostUnreachableException e) {
            // An interrupt cuts the connection: that, not the broken connection, is what happened.
            throw interrupted ? new HostUnreachableException("interrupted while connecting to " + where()
                    + "; nothing was changed") : e;
        }
        // Without an archive yet, this session makes one, under a name of its own until it has ended well.
        newArchive = ready.archived() ? null : ready.archive() + ".tmp-" + UUID.randomUUID();
        String classData = newArchive == null ? classData(ready) : "-XX:ArchiveClassesAtExit=" + Shell.quote(newArchive);
        RemoteCommand opened = open(RemoteCommand.announcingPid(agentCommand(ready, classData, "session")),
                "gathering facts");
        session = opened;
        running = opened;
        try {
            byte[] request = Json.MAPPER.writeValueAsBytes(factRequest);
            opened.write(concat(("request " + request.length + "\n").getBytes(StandardCharsets.US_ASCII), request));
            Optional<FactsFrame> facts = opened.awaitOutput(new FactsFrame()::read, deadline);
            if (facts.isEmpty() || facts.get().invalid != null) {
                throw new HostUnreachableException("plumb-agent on " + where() + " printed no facts: "
                        + (facts.isPresent() ? facts.get().invalid : ended(opened).reason()));
            }
            reportStart = facts.get().end();
            return Json.MAPPER.readValue(facts.get().json, FACTS);
        } catch (TimeoutException e) {
            throw new HostUnreachableException(timedOut() + " on " + where() + " while gathering facts");
        } catch (RemoteCommand.TooMuchOutputException | RemoteCommand.ConnectionLostException e) {
            throw failed(e, "gathering facts");
        } catch (JacksonException e) {
            throw new HostUnreachableException("plumb-agent on " + where() + " printed no facts: "
                    + ReceivedReport.bounded(e.getOriginalMessage()));
        } finally {
            running = null;
        }
    }

    /**
     * The agent's facts at the start of a session's output: a line {@code facts BYTES}, then that many bytes of JSON
     * and a newline. The header is read once; output whose first line is no such header is {@link #invalid}.
     */
    private static final class FactsFrame {

        private static final Pattern HEADER = Pattern.compile("facts ([0-9]{1,9})");
        private static final int HEADER_LIMIT = 16;

        private int start = -1;
        private int length;
        private byte[] json;
        private String invalid;

        /** This frame once the output holds all of it, or shows that it holds none; empty until then. */
        Optional<FactsFrame> read(RemoteCommand.Printed output) {
            if (start < 0 && !readHeader(output)) {
                return invalid != null ? Optional.of(this) : Optional.empty();
            }
            if (output.size() < start + length) {
                return Optional.empty();
            }
            json = output.range(start, start + length);
            return Optional.of(this);
        }

        /** Reads the header once its line is whole; false before, or when it is no header (invalid then says so). */
        private boolean readHeader(RemoteCommand.Printed output) {
            int seen = Math.min(output.size(), HEADER_LIMIT);
            for (int i = 0; i < seen; i++) {
                if (output.byteAt(i) == '\n') {
                    Matcher header = HEADER.matcher(new String(output.range(0, i), StandardCharsets.US_ASCII));
                    if (header.matches() && Integer.parseInt(header.group(1)) <= RemoteCommand.STDOUT_LIMIT) {
                        length = Integer.parseInt(header.group(1));
                        start = i + 1;
                        return true;
                    }
                    seen = HEADER_LIMIT;
                    break;
                }
            }
            if (seen >= HEADER_LIMIT) {
                invalid = "its output starts with " + ReceivedReport.quoted(new String(
                        output.range(0, Math.min(output.size(), 40)), StandardCharsets.UTF_8))
                        + ", not with a line 'facts BYTES'";
            }
            return false;
        }

        /** Where the output after the facts (and their newline) starts: the report of the run. */
        int end() {
            return start + length + 1;
        }
    }

    /** How a command that printed less than it should ended, waiting briefly for its exit status and stderr. */
    private RemoteCommand.Result ended(RemoteCommand command) throws HostUnreachableException {
        try {
            return command.await(System.nanoTime() + connector.options().connectTimeout().toNanos());
        } catch (TimeoutException e) {
            throw new HostUnreachableException("connection to " + where() + " lost while gathering facts");
        } catch (IOException e) {
            throw failed(e, "gathering facts");
        }
    }

    /**
     * Keeps {@code options} for {@link #run}, whose time (the run timeout) starts now, at the host's turn to run, not
     * while it waited for others; the agent takes the host's run lock itself, as it runs.
     */
    @Override
    public synchronized void begin(RunOptions options) throws RunRefusedException {
        runOptions = options;
        deadline = System.nanoTime() + connector.options().runTimeout().toNanos();
        Path stateDirectory = StateDirectory.resolve(options.stateDirectory());
        reportDirectory = stateDirectory.resolve("hosts").resolve(host.name());
        try {
            if (!Files.isDirectory(stateDirectory)) {
                Files.createDirectories(stateDirectory, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw new RunRefusedException("state directory " + stateDirectory + " cannot be created ("
                    + FileErrors.describe(e) + "); nothing was changed. Choose another with --state-dir or $PLUMB_STATE_DIR");
        }
    }

    /**
     * Runs the catalog on the host and returns its report, which is also kept in the state directory under
     * {@code hosts/HOST/reports/} (and on the host, by the agent). A run that cannot end normally returns a report
     * whose error says why.
     */
    @Override
    public RunReport run(CompiledCatalog catalog) throws IOException {
        String startedAt = Clock.systemUTC().instant().toString();
        RunReport report;
        try {
            report = runThere(catalog);
        } catch (HostUnreachableException e) {
            report = RunReport.unreachable(RunReport.newRunId(), host.name(), runOptions.mode(), startedAt,
                    e.getMessage());
        }
        new ReportStore(reportDirectory).save(report);
        return report;
    }

    private RunReport runThere(CompiledCatalog catalog) throws HostUnreachableException {
        if (session == null) {
            facts();
        }
        if (interrupted) {
            throw new HostUnreachableException("interrupted before the run on " + where() + " started; nothing was changed");
        }
        Mode mode = runOptions.mode();
        List<String> arguments = new ArrayList<>(List.of(mode.name().toLowerCase(Locale.ROOT), "-", "--format", "json",
                "--lock-timeout", Long.toString(runOptions.lockWait().toSeconds())));
        if (!runOptions.checks() && mode != Mode.PLAN) {
            arguments.add("--no-checks");
        }
        RemoteCommand remote = session;
        running = remote;
        try {
            remote.send(concat((String.join(" ", arguments) + "\n").getBytes(StandardCharsets.US_ASCII),
                    Json.MAPPER.writeValueAsBytes(catalog.catalog())));
            if (interrupted) {
                stop(remote);
            }
            try {
                RemoteCommand.Result result = remote.await(deadline);
                keepArchive(newArchive, result);
                return reportOf(result);
            } catch (TimeoutException e) {
                stop(remote);
                RunReport cancelled = reportOf(remote.await(System.nanoTime() + REPORT_WAIT.toNanos()));
                return withError(cancelled, timedOut() + " and was cancelled on " + where());
            }
        } catch (TimeoutException e) {
            throw new HostUnreachableException(timedOut() + " on " + where() + ", which did not stop within "
                    + SshText.seconds(REPORT_WAIT)
                    + "; its report is kept in " + setup.reportDirectory(become()) + " there");
        } catch (RemoteCommand.TooMuchOutputException e) {
            throw failed(e, "running the catalog");
        } catch (RemoteCommand.ConnectionLostException e) {
            throw new HostUnreachableException("connection to " + where() + " lost during the run; the run on the host "
                    + "goes on to its end, or to its interruption, and keeps its report in "
                    + setup.reportDirectory(become()) + " there");
        } finally {
            running = null;
            session = null;
            remote.close();
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    /** The class-data archive option of an agent run: the archive when the host has one. */
    private static String classData(HostSetup ready) {
        return ready.archived() ? "-XX:SharedArchiveFile=" + Shell.quote(ready.archive()) : "";
    }

    /**
     * Gives the archive a run just made its final name once the JVM that wrote it has exited (one killed by a signal
     * may have left half an archive: that one is removed); the next runs start from it. Without it they only start
     * slower, so a failure here is no failure of the run.
     */
    private void keepArchive(String newArchive, RemoteCommand.Result ended) {
        if (newArchive == null) {
            return;
        }
        String keep = ended.exitStatus() != null
                ? "mv -f " + Shell.quote(newArchive) + " " + Shell.quote(setup.archive()) + " 2>/dev/null || " : "";
        try {
            if (execute(sudo(setup) + "sh -c " + Shell.quote(keep + "rm -f " + Shell.quote(newArchive)), new byte[0],
                    "keeping the class-data archive")
                    .succeeded() && !keep.isEmpty()) {
                setup = setup.withArchive();
            }
        } catch (HostUnreachableException e) {
            // The run is done and reported; the next one makes the archive again.
        }
    }

    /**
     * The report the agent printed, once it has passed {@link ReceivedReport}'s checks; else the host fails, saying
     * why there is no report (the agent refused the run or could not start: its stderr says why) or why it is invalid.
     */
    private RunReport reportOf(RemoteCommand.Result result) throws HostUnreachableException {
        byte[] stdout = result.stdout();
        byte[] report = Arrays.copyOfRange(stdout, Math.min(reportStart, stdout.length), stdout.length);
        if (new String(report, StandardCharsets.UTF_8).isBlank()) {
            throw new HostUnreachableException("plumb-agent on " + where() + " ended without a report: " + result.reason());
        }
        String problem;
        try {
            RunReport[] reports = Json.MAPPER.readValue(report, RunReport[].class);
            problem = reports.length != 1 ? "it holds " + reports.length + " reports, not one"
                    : ReceivedReport.problem(reports[0], host.name(), runOptions.mode());
            if (problem == null) {
                return reports[0];
            }
        } catch (JacksonException e) {
            problem = ReceivedReport.bounded(e.getOriginalMessage());
        }
        throw new HostUnreachableException("plumb-agent on " + where() + " printed an invalid report: " + problem);
    }

    private static RunReport withError(RunReport report, String error) {
        return new RunReport(report.schemaVersion(), report.runId(), report.host(), report.mode(), report.catalogSha256(),
                report.source(), report.startedAt(), report.engineMillis(), report.summary(), report.resources(), error,
                report.checks());
    }

    /**
     * Stops the host's run from another thread: the agent is sent SIGTERM and ends in order, with the report of what
     * it did. A host still connecting is disconnected.
     */
    @Override
    public void interrupt() {
        interrupted = true;
        RemoteCommand command = running;
        if (command != null) {
            stop(command);
        } else {
            closeSession();
        }
    }

    /**
     * Asks the agent to stop in order (SIGTERM: it ends its run and prints the report of what it did): with
     * {@code kill} from a channel of its own when the agent told its process id, else through SSH's signal request.
     */
    private void stop(RemoteCommand command) {
        OptionalLong pid = command.pid();
        if (pid.isEmpty()) {
            command.signal("TERM");
            return;
        }
        try (RemoteCommand kill = RemoteCommand.start(connection.session(), sudo(setup) + "kill -TERM " + pid.getAsLong(),
                new byte[0], connector.options().connectTimeout())) {
            kill.await(System.nanoTime() + connector.options().connectTimeout().toNanos());
        } catch (IOException | TimeoutException e) {
            // The connection is gone or the host does not answer: the host's run goes on to its end alone.
        }
    }

    /** Installs Java where the host has none, with apt, as root or through {@code sudo -n}. */
    @Override
    public String bootstrap() throws HostUnreachableException {
        HostSetup found = probe();
        if (found.java() != null) {
            return "nothing to do: " + where() + " has Java at " + found.java();
        }
        if (!found.root() && !become()) {
            throw new HostUnreachableException("cannot install Java on " + where() + " as " + connection.user()
                    + ": log in as root, or set become: true for a user with passwordless sudo");
        }
        String install = "export DEBIAN_FRONTEND=noninteractive; apt-get install -y -q openjdk-17-jre-headless"
                + " || { apt-get update -q && apt-get install -y -q openjdk-17-jre-headless; }";
        RemoteCommand.Result result = execute(sudo(found) + "sh -c " + Shell.quote(install), new byte[0],
                "installing Java");
        if (!result.succeeded()) {
            throw new HostUnreachableException("installing openjdk-17-jre-headless on " + where() + " failed: "
                    + result.reason());
        }
        HostSetup installed = probe();
        if (installed.java() == null) {
            throw new HostUnreachableException("installed openjdk-17-jre-headless on " + where() + ", but "
                    + installed.noJava(host.name()));
        }
        return "installed openjdk-17-jre-headless on " + where() + ": Java at " + installed.java();
    }

    /**
     * Ends the host's connection; an agent session still waiting for a catalog ends with it, without running
     * anything, while a run already going on the host is not stopped by it.
     */
    public void close() {
        RemoteCommand waiting = session;
        if (waiting != null) {
            endUnused(waiting);
        }
        closeSession();
    }

    /**
     * Ends a session that ran nothing (only facts were asked, or the command stopped before this host's run) by ending
     * its input; a class-data archive it was making then holds too little to keep, and is removed once it is written.
     */
    private void endUnused(RemoteCommand waiting) {
        try {
            waiting.send(new byte[0]);
            waiting.await(System.nanoTime() + connector.options().connectTimeout().toNanos());
            if (newArchive != null) {
                execute(sudo(setup) + "rm -f " + Shell.quote(newArchive), new byte[0],
                        "removing an unused class-data archive");
            }
        } catch (HostUnreachableException | TimeoutException | IOException e) {
            // The connection ends now anyway; the next run makes its archive again.
        } finally {
            waiting.close();
        }
    }

    /** Not synchronized: an interrupt must not wait for a connection or an upload in progress to end. */
    private void closeSession() {
        SshConnector.Connection open = connection;
        if (open != null) {
            open.session().close(true);
        }
    }

    /** The host connected, with Java and the agent jar, and sudo answering when {@code become} is set. */
    private synchronized HostSetup ready() throws HostUnreachableException {
        if (setup == null) {
            HostSetup found = probe();
            if (found.java() == null) {
                throw new HostUnreachableException(found.noJava(host.name()));
            }
            if (found.unsafe() != null) {
                throw new HostUnreachableException("refusing to run the agent from ~/.cache/plumb on " + where() + ": "
                        + found.unsafe() + ", so another user could change what runs; make ~/.cache and "
                        + "~/.cache/plumb " + connection.user() + "'s own and not writable by others (chmod go-w)");
            }
            setup = found.agentJar() != null ? found : upload(found);
        }
        return setup;
    }

    /**
     * What the host has, in one remote command: whether the login user is root, Java, the agent jar (checked as root
     * with {@code become}), the user's home; with {@code become}, through {@code sudo -n}, which must answer.
     */
    private HostSetup probe() throws HostUnreachableException {
        connect();
        RemoteCommand.Result result = execute(HostSetup.command(AgentJar.get().sha256(), become()), new byte[0],
                "looking for Java");
        HostSetup found;
        try {
            found = HostSetup.parse(result.stdoutText());
        } catch (HostSetup.InvalidOutputException e) {
            throw new HostUnreachableException("cannot look for Java on " + where() + ": " + e.getMessage());
        }
        if (!found.ran() && become() && !found.root()) {
            throw new HostUnreachableException("become: sudo on " + where() + " asks " + connection.user()
                    + " for a password (sudo -n: " + result.reason() + "); give " + connection.user()
                    + " passwordless sudo (NOPASSWD in /etc/sudoers.d), or log in as root");
        }
        if (!result.succeeded() || !found.ran()) {
            throw new HostUnreachableException("cannot look for Java on " + where() + ": " + result.reason());
        }
        return found;
    }

    /**
     * Sends the agent jar: into a private temporary file, checked against its sha256 on the host, then renamed to
     * its final name, so that no run ever finds half a jar. With {@code become} it is root that writes it, into
     * {@link HostSetup#ROOT_DIRECTORY}, which is made root's own alone.
     */
    private HostSetup upload(HostSetup found) throws HostUnreachableException {
        AgentJar jar = AgentJar.get();
        String script = "set -e; umask 077; d=" + Shell.quote(found.directory()) + "; mkdir -p \"$d\"; "
                + (found.throughSudo() ? "chown root:root \"$d\"; chmod 700 \"$d\"; " : "")
                + "t=$(mktemp \"$d/.plumb-agent.XXXXXX\"); trap 'rm -f \"$t\"' EXIT; cat > \"$t\"; "
                + "s=$(sha256sum \"$t\"); s=${s%% *}; "
                + "if [ \"$s\" != " + jar.sha256() + " ]; then echo \"the jar arrived with sha256 $s\" >&2; exit 1; fi; "
                + "mv -f \"$t\" \"$d/" + HostSetup.jarName(jar.sha256()) + "\"; trap - EXIT";
        RemoteCommand.Result result = execute(sudo(found) + "sh -c " + Shell.quote(script), jar.bytes(),
                "sending the agent jar");
        if (!result.succeeded()) {
            throw new HostUnreachableException("upload of the agent jar to " + where() + " failed: " + result.reason());
        }
        AgentJar.uploaded();
        return found.withAgentJar(found.directory() + "/" + HostSetup.jarName(jar.sha256()));
    }

    private synchronized void connect() throws HostUnreachableException {
        if (connection == null) {
            if (interrupted) {
                throw new HostUnreachableException("interrupted before connecting to " + host.ssh().address());
            }
            deadline = System.nanoTime() + connector.options().runTimeout().toNanos();
            connection = connector.connect(host.ssh());
        }
    }

    /** {@code plumb-agent ARGUMENTS} on the host, through {@code sudo -n} with {@code become}. */
    private String agentCommand(HostSetup ready, String classData, String arguments) {
        return sudo(ready) + Shell.quote(ready.java()) + " " + JVM_OPTIONS + " " + classData + " -jar "
                + Shell.quote(ready.agentJar()) + " " + arguments;
    }

    /** What runs a command as root where the agent runs through sudo (with {@code become}, for a user not root). */
    private static String sudo(HostSetup found) {
        return found.throughSudo() ? "sudo -n -- " : "";
    }

    private boolean become() {
        return host.ssh().becomesRoot();
    }

    /** {@code command} started on the host, its standard input still open. */
    private RemoteCommand open(String command, String step) throws HostUnreachableException {
        try {
            return RemoteCommand.open(connection.session(), command, connector.options().connectTimeout());
        } catch (IOException e) {
            throw failed(e, step);
        }
    }

    /** Runs {@code command} to its end, within the host's run timeout. */
    private RemoteCommand.Result execute(String command, byte[] stdin, String step) throws HostUnreachableException {
        try (RemoteCommand remote = RemoteCommand.start(connection.session(), command, stdin,
                connector.options().connectTimeout())) {
            running = remote;
            return remote.await(deadline);
        } catch (TimeoutException e) {
            throw new HostUnreachableException(timedOut() + " on " + where() + " while " + step);
        } catch (IOException e) {
            throw failed(e, step);
        } finally {
            running = null;
        }
    }

    /** Why a command of {@code step} failed on the host, in one line. */
    private HostUnreachableException failed(IOException e, String step) {
        if (e instanceof RemoteCommand.ConnectionLostException) {
            return new HostUnreachableException("connection to " + where() + " lost while " + step);
        }
        if (e instanceof RemoteCommand.TooMuchOutputException) {
            return new HostUnreachableException("a command on " + where() + " " + e.getMessage() + " while " + step
                    + "; plumb stopped reading it");
        }
        return new HostUnreachableException("cannot run a command on " + where() + " while " + step + ": "
                + e.getMessage());
    }

    private String timedOut() {
        return "run timed out after " + SshText.seconds(connector.options().runTimeout());
    }

    private String where() {
        return connection == null ? host.ssh().address() : connection.user() + "@" + connection.where();
    }
}

package dev.plumb.agent;

import dev.plumb.agent.pull.PullCommands;
import dev.plumb.catalog.Json;
import dev.plumb.catalog.Mode;
import dev.plumb.engine.Engine;
import dev.plumb.facts.FactRequest;
import dev.plumb.facts.Facts;
import dev.plumb.report.Format;
import dev.plumb.report.ReportOutput;
import dev.plumb.system.FileErrors;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;

/**
 * {@code java -jar plumb-agent.jar apply|plan|check CATALOG.json [--format FORMAT] [--state-dir DIR] [--no-checks]
 * [--lock-timeout SECONDS]}: runs a compiled catalog on this host, then its checks (after apply and check); a
 * CATALOG of {@code -} is read from standard input, as a controller sends it over SSH (it may hold secrets, so it
 * is never written to the host's disk). Exit
 * codes are those of the plumb command; with {@code --format nagios}, those of a Nagios plugin.
 * {@code java -jar plumb-agent.jar facts [REQUEST.json|-]} prints this host's facts as JSON, which a controller
 * compiles the host's catalog from, with the project's own facts a {@link FactRequest} asks for (without one: every
 * built-in fact, installed packages included); {@code session} does both in one process, as a controller over SSH
 * runs it (see {@link #session}).
 * {@code enroll}, {@code run} and {@code install} pull the host's catalog from a plumb server ({@link PullCommands}).
 */
public final class AgentMain {

    static final String VERSION = "plumb-agent 0.1.0";

    private static final String USAGE = "usage: plumb-agent apply|plan|check CATALOG.json|- [--format text|json|junit|tap|nagios]"
            + " [--state-dir DIR] [--no-checks] [--lock-timeout SECONDS]\n"
            + "       plumb-agent facts [REQUEST.json|-]\n"
            + PullCommands.USAGE.replace("usage: ", "       ") + "\n"
            + "       plumb-agent session\n"
            + "       plumb-agent --help | --version";

    /** A project's fact definitions are a few lines each. */
    private static final int REQUEST_LIMIT = 1 << 20;

    private AgentMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 1 && args[0].matches("--help|-h|--version|-V")) {
            out.println(args[0].matches("--help|-h") ? USAGE : VERSION);
            return 0;
        }
        if (args.length <= 2 && args.length > 0 && args[0].equals("facts")) {
            return facts(args.length == 2 ? args[1] : null, out, err);
        }
        if (args.length == 1 && args[0].equals("session")) {
            return session(out, err);
        }
        if (args.length >= 1 && PullCommands.handles(args[0])) {
            return PullCommands.run(List.of(args), writer(out), writer(err));
        }
        if (args.length < 2 || !args[0].matches("apply|plan|check")) {
            err.println(USAGE);
            return 1;
        }
        Mode mode = Mode.valueOf(args[0].toUpperCase());
        Path catalogFile = Path.of(args[1]);
        boolean fromStdin = args[1].equals("-");
        String catalogName = fromStdin ? "the catalog on standard input" : args[1];
        Format format = Format.text;
        Path stateDirectory = null;
        boolean checks = true;
        Duration lockWait = LocalRun.DEFAULT_LOCK_WAIT;
        for (int i = 2; i < args.length; i++) {
            if (args[i].equals("--format") && i + 1 < args.length && Format.named(args[i + 1]).isPresent()) {
                format = Format.named(args[++i]).orElseThrow();
            } else if (args[i].equals("--state-dir") && i + 1 < args.length) {
                stateDirectory = Path.of(args[++i]);
            } else if (args[i].equals("--lock-timeout") && i + 1 < args.length && args[i + 1].matches("[0-9]{1,6}")) {
                lockWait = Duration.ofSeconds(Integer.parseInt(args[++i]));
            } else if (args[i].equals("--no-checks")) {
                checks = false;
            } else {
                err.println("unknown argument '" + args[i] + "'\n" + USAGE);
                return 1;
            }
        }
        if (!Format.acceptedBy(mode).contains(format)) {
            err.println(format.unavailableFor(mode) + "\n" + USAGE);
            return ReportOutput.INVALID;
        }
        try {
            byte[] catalogJson = fromStdin ? System.in.readAllBytes() : Files.readAllBytes(catalogFile);
            Engine.Prepared prepared = CatalogReader.prepare(catalogJson, catalogName);
            try (LocalRun localRun = LocalRun.open(StateDirectory.resolve(stateDirectory), Facts.ofThisHost(), mode, lockWait)) {
                return runAndPrint(localRun, prepared, checks, format, out);
            }
        } catch (RunRefusedException e) {
            return invalid(format, out, err, e.getMessage());
        } catch (IOException e) {
            return invalid(format, out, err, catalogName + ": " + FileErrors.describe(e));
        }
    }

    /**
     * {@code plumb-agent facts [REQUEST]}: the facts {@code REQUEST} (a file, or {@code -} for standard input) asks
     * for, as JSON on standard output; what {@code facts.d} skipped is also told on standard error.
     */
    private static int facts(String requestFile, PrintStream out, PrintStream err) {
        FactRequest request = FactRequest.ALL_BUILT_IN;
        if (requestFile != null) {
            String name = requestFile.equals("-") ? "the request on standard input" : requestFile;
            try (InputStream in = requestFile.equals("-") ? System.in : Files.newInputStream(Path.of(requestFile))) {
                byte[] json = in.readNBytes(REQUEST_LIMIT + 1);
                if (json.length > REQUEST_LIMIT) {
                    err.println(name + ": larger than " + (REQUEST_LIMIT >> 10) + " KiB");
                    return ReportOutput.INVALID;
                }
                request = Json.MAPPER.readValue(json, FactRequest.class);
            } catch (JacksonException e) {
                err.println(name + ": not a request for facts: " + CatalogJsonErrors.describe(e));
                return ReportOutput.INVALID;
            } catch (IOException e) {
                err.println(name + ": " + FileErrors.describe(e));
                return ReportOutput.INVALID;
            }
        }
        Map<String, Object> facts = Facts.ofThisHost(request);
        if (facts.get("warnings") instanceof List<?> warnings) {
            warnings.forEach(warning -> err.println("warning: " + warning));
        }
        out.println(Json.MAPPER.writeValueAsString(facts));
        return 0;
    }

    /**
     * {@code plumb-agent session}: one process per host for a controller, which needs the host's facts before it can
     * compile the catalog it then runs. Reads the {@link FactRequest} framed as a line {@code request BYTES} and that
     * many bytes of JSON; prints the facts framed as a line {@code facts BYTES} and that many bytes of JSON; then
     * reads one line of arguments ({@code apply - --format json --lock-timeout 10}, say) and runs, as that command,
     * the catalog that follows them on standard input. Standard input that ends before the request or the line of
     * arguments (the controller had nothing to run here) ends the session, exit 0.
     */
    private static int session(PrintStream out, PrintStream err) {
        FactRequest request;
        String arguments;
        try {
            request = request(System.in);
            if (request == null) {
                return 0;
            }
            byte[] facts = Json.MAPPER.writeValueAsBytes(Facts.ofThisHost(request));
            out.print("facts " + facts.length + "\n");
            out.write(facts, 0, facts.length);
            out.print("\n");
            out.flush();
            arguments = argumentLine(System.in);
        } catch (IOException | JacksonException e) {
            err.println("session: cannot read the controller's request: " + e.getMessage());
            return ReportOutput.INVALID;
        }
        if (arguments == null) {
            return 0;
        }
        String[] run = arguments.split(" ");
        if (run.length < 2 || !run[1].equals("-")) {
            err.println("session: expected the arguments of a run of the catalog on standard input, such as "
                    + "'apply - --format json', got '" + arguments + "'");
            return ReportOutput.INVALID;
        }
        return run(run, out, err);
    }

    /** The request for facts that starts a session's input; null when the input ends first. */
    private static FactRequest request(InputStream in) throws IOException {
        String header = argumentLine(in);
        if (header == null) {
            return null;
        }
        if (!header.matches("request [0-9]{1,9}") || Integer.parseInt(header.substring(8)) > REQUEST_LIMIT) {
            throw new IOException("expected a line 'request BYTES' (at most " + REQUEST_LIMIT + "), got '" + header + "'");
        }
        int length = Integer.parseInt(header.substring(8));
        byte[] json = in.readNBytes(length);
        if (json.length < length) {
            throw new IOException("the request ended after " + json.length + " of " + length + " bytes");
        }
        return Json.MAPPER.readValue(json, FactRequest.class);
    }

    /**
     * The first line of {@code in}, read a byte at a time so that what follows it stays in {@code in} for the
     * catalog; null when {@code in} ends first. Bounded: arguments are a few words.
     */
    private static String argumentLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int next = in.read(); next != '\n'; next = in.read()) {
            if (next < 0) {
                return null;
            }
            if (line.length() >= 4096) {
                throw new IOException("the line of arguments is longer than 4096 bytes");
            }
            line.append((char) next);
        }
        return line.toString();
    }

    /** Runs the catalog, stopping in order on SIGINT or SIGTERM, and prints its report; returns the exit code. */
    private static int runAndPrint(LocalRun localRun, Engine.Prepared prepared, boolean checks, Format format,
                                   PrintStream out) throws IOException {
        return StopOnSignal.around(localRun::interrupt, () -> {
            ReportOutput output = new ReportOutput(format, false, writer(out));
            output.add(localRun.run(prepared, checks));
            return output.finish();
        });
    }

    /** Reports input that cannot be run: exit 1, or for Nagios a status line and UNKNOWN. */
    private static int invalid(Format format, PrintStream out, PrintStream err, String message) {
        err.println(message);
        return ReportOutput.refuse(format, message, writer(out));
    }

    /**
     * {@code out} as the writer the report output prints to: text reaches it as strings, so it is encoded in the
     * stream's own charset, not the platform's default.
     */
    private static PrintWriter writer(PrintStream out) {
        return new PrintWriter(new Writer() {
            @Override
            public void write(char[] text, int offset, int length) {
                out.print(new String(text, offset, length));
            }

            @Override
            public void flush() {
                out.flush();
            }

            @Override
            public void close() {
                out.flush();
            }
        });
    }
}

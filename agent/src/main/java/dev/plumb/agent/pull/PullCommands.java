package dev.plumb.agent.pull;

import dev.plumb.agent.RunRefusedException;
import dev.plumb.agent.StateDirectory;
import dev.plumb.agent.StopOnSignal;
import dev.plumb.checks.Durations;
import dev.plumb.system.ProcessCommandRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The verbs {@code enroll}, {@code run} and {@code install} of {@code plumb-agent}, which {@code plumb agent} runs
 * too: their options read here alone, so both take the same ones. Exit codes: 0 done (for {@code run --once}, the
 * run's own 0, 2, 4 or 6), 1 refused or nothing applied.
 */
public final class PullCommands {

    public static final String USAGE = "usage: plumb-agent enroll --server URL --host NAME --token TOKEN [--state-dir DIR]\n"
            + "       plumb-agent run [--server URL] [--once] [--interval 30m] [--splay 5m] [--state-dir DIR]\n"
            + "       plumb-agent install [--server URL] [--interval 30m] [--splay 5m] [--state-dir DIR] [--dry-run]";

    private static final String DEFAULT_INTERVAL = "30m";
    private static final String DEFAULT_SPLAY = "5m";
    private static final int REFUSED = 1;

    private PullCommands() {
    }

    /** Whether {@code verb} is one of these commands. */
    public static boolean handles(String verb) {
        return verb.equals("enroll") || verb.equals("run") || verb.equals("install");
    }

    /** Runs {@code args} (a verb and its options); returns the exit code. */
    public static int run(List<String> args, PrintWriter out, PrintWriter err) {
        if (args.contains("--help") || args.contains("-h")) {
            out.println(USAGE);
            return 0;
        }
        try {
            return switch (args.get(0)) {
                case "enroll" -> enroll(Options.parse(args, Set.of("--server", "--host", "--token", "--state-dir"), Set.of()), out);
                case "run" -> run(Options.parse(args, Set.of("--server", "--interval", "--splay", "--state-dir"),
                        Set.of("--once")), err);
                case "install" -> install(Options.parse(args, Set.of("--server", "--interval", "--splay", "--state-dir"),
                        Set.of("--dry-run")), out);
                default -> throw new UsageException("unknown command '" + args.get(0) + "'");
            };
        } catch (UsageException e) {
            err.println(e.getMessage() + "\n" + USAGE);
            return REFUSED;
        } catch (PullException | RunRefusedException e) {
            err.println(e.getMessage());
            return REFUSED;
        }
    }

    private static int enroll(Options options, PrintWriter out) throws UsageException, PullException, RunRefusedException {
        Path state = options.stateDirectory();
        AgentFiles.Enrolled enrolled = Enrollment.enroll(options.server(true), options.required("--host"),
                options.required("--token"), state, Clock.systemUTC());
        out.println("enrolled " + enrolled.host() + " with " + enrolled.server() + "; its credential is in "
                + AgentFiles.in(state).credential() + ". Start the agent with plumb-agent run, or install it as a "
                + "service with plumb-agent install");
        return 0;
    }

    private static int run(Options options, PrintWriter err) throws UsageException, PullException, RunRefusedException {
        Path state = options.stateDirectory();
        URI server = options.server(false);
        Duration interval = options.duration("--interval", DEFAULT_INTERVAL);
        Duration splay = options.duration("--splay", DEFAULT_SPLAY);
        AgentFiles.in(state).enrolled();
        PullAgent agent = new PullAgent(state, server, AgentLog.of(err));
        try {
            return StopOnSignal.around(agent::stop, options.has("--once") ? agent::runOnce
                    : () -> agent.runEvery(interval, splay, ThreadLocalRandom.current()));
        } catch (IOException e) {
            throw new IllegalStateException("a pull run throws no IOException; this is a bug in plumb", e);
        }
    }

    private static int install(Options options, PrintWriter out) throws UsageException, PullException, RunRefusedException {
        List<String> run = new ArrayList<>(List.of("run"));
        URI server = options.server(false);
        if (server != null) {
            run.addAll(List.of("--server", server.toString()));
        }
        // Checked now rather than when the service starts.
        options.duration("--interval", DEFAULT_INTERVAL);
        options.duration("--splay", DEFAULT_SPLAY);
        run.addAll(List.of("--interval", options.text("--interval", DEFAULT_INTERVAL),
                "--splay", options.text("--splay", DEFAULT_SPLAY)));
        // Always named: the service does not see this shell's $PLUMB_STATE_DIR.
        Path state = options.stateDirectory().toAbsolutePath();
        run.addAll(List.of("--state-dir", state.toString()));
        ServiceInstaller installer = new ServiceInstaller(Path.of("/"), new ProcessCommandRunner());
        ServiceInstaller.Plan plan = installer.plan(ServiceInstaller.thisAgent(run));
        if (options.has("--dry-run")) {
            out.print(plan.describe());
            return 0;
        }
        AgentFiles.in(state).enrolled();
        installer.install(plan);
        out.println("installed " + plan.file() + "; plumb-agent runs now and at every boot");
        return 0;
    }

    /** A command line that is not one of these commands'. */
    private static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /** The options after the verb: each given once, those in {@code valued} with a value. */
    private record Options(Map<String, String> values) {

        static Options parse(List<String> args, Set<String> valued, Set<String> flags) throws UsageException {
            Map<String, String> values = new HashMap<>();
            for (int i = 1; i < args.size(); i++) {
                String option = args.get(i);
                if (!valued.contains(option) && !flags.contains(option)) {
                    throw new UsageException("unknown argument '" + option + "' for " + args.get(0));
                }
                if (valued.contains(option) && i + 1 >= args.size()) {
                    throw new UsageException(option + " needs a value");
                }
                String value = valued.contains(option) ? args.get(++i) : "";
                if (values.put(option, value) != null) {
                    throw new UsageException(option + " is given twice");
                }
            }
            return new Options(values);
        }

        boolean has(String option) {
            return values.containsKey(option);
        }

        String text(String option, String otherwise) {
            return values.getOrDefault(option, otherwise);
        }

        String required(String option) throws UsageException {
            String value = values.get(option);
            if (value == null || value.isBlank()) {
                throw new UsageException(option + " is required");
            }
            return value;
        }

        /** {@code --server} as a URL; null when not given and not {@code required}. */
        URI server(boolean required) throws UsageException, PullException {
            if (!required && !has("--server")) {
                return null;
            }
            String text = required("--server");
            URI server;
            try {
                server = new URI(text);
            } catch (URISyntaxException e) {
                throw new UsageException("--server '" + text + "' is not a URL: " + e.getReason());
            }
            Enrollment.checkServer(server);
            return server;
        }

        Duration duration(String option, String otherwise) throws UsageException {
            String text = text(option, otherwise);
            Duration duration = Durations.parseOrNull(text);
            if (duration == null || (duration.isZero() && option.equals("--interval"))) {
                throw new UsageException(option + " '" + text + "' is not a duration: write 30m, 90s or 1.5m");
            }
            return duration;
        }

        Path stateDirectory() throws RunRefusedException {
            return StateDirectory.resolve(has("--state-dir") ? Path.of(values.get("--state-dir")) : null);
        }
    }
}

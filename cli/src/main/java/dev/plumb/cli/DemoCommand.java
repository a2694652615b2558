package dev.plumb.cli;

import dev.plumb.agent.pull.AgentLog;
import dev.plumb.agent.pull.Enrollment;
import dev.plumb.agent.pull.PullAgent;
import dev.plumb.agent.pull.PullException;
import dev.plumb.catalog.Json;
import dev.plumb.server.AdminToken;
import dev.plumb.server.PlumbServer;
import dev.plumb.server.ServerClient;
import dev.plumb.server.ServerStartException;
import dev.plumb.server.store.StoreConfig;
import dev.plumb.system.AtomicFiles;
import dev.plumb.system.FileErrors;
import dev.plumb.system.PrivateFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code plumb demo}: plumb's whole loop on this machine, from what plumb.jar carries. The quickstart project is
 * committed to a git repository, a plumb server with its embedded H2 store serves it on loopback, this machine's agent
 * enrolls as the project's host {@code local}, converges this machine (everything under one directory) and reports,
 * and the fleet is shown as the server stored it.
 */
@Command(name = "demo", description = "Run plumb's whole loop on this machine: a server on H2 serves the quickstart "
        + "project from a git repository, this machine's agent converges to it (everything under --root) and reports, "
        + "and the fleet is shown.%nExit: as apply's (0 nothing to change, 2 changes applied, 4 failures, "
        + "6 both), 1 the demo could not run.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--state-dir", paramLabel = "DIR", converter = ProjectOptions.NonEmptyPath.class,
            description = "keep the demo's repository, server (CA, admin token, H2 store) and agent here, for the next "
                    + "demo to reuse (default: a temporary directory, removed at the end)")
    Path stateDirectory;

    @Option(names = "--root", paramLabel = "DIR", converter = ProjectOptions.NonEmptyPath.class,
            description = "where the project puts its files, an absolute path (default: " + DemoProject.DEFAULT_ROOT + ")")
    Path root = Path.of(DemoProject.DEFAULT_ROOT);

    @Option(names = "--serve", description = "keep the server running after the agent's run, until Ctrl-C, to try "
            + "plumb status and the API against it")
    boolean serve;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (!ServerLibraries.present(DemoCommand.class.getClassLoader())) {
            spec.commandLine().getErr().println("plumb: " + ServerLibraries.MISSING);
            return ExitCodes.INVALID;
        }
        if (!root.isAbsolute()) {
            spec.commandLine().getErr().println("plumb: --root " + root + " is not an absolute path; give one, such as "
                    + root.toAbsolutePath().normalize());
            return ExitCodes.INVALID;
        }
        return Loop.run(stateDirectory, root, serve, spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /**
     * The demo itself. A class of its own, as {@link ServerCommand}'s foreground is: Main loads every command's class
     * for its help, and the server's classes must load only when the demo runs.
     */
    static final class Loop {

        /** The host the demo's agent enrolls as: the quickstart's inventory names this machine {@code local}. */
        static final String HOST = "local";

        private Loop() {
        }

        static int run(Path given, Path root, boolean serve, PrintWriter out, PrintWriter err) throws InterruptedException {
            Path directory;
            try {
                // 0700 either way: it holds the demo server's CA key and admin token.
                directory = given != null ? PrivateFiles.directory(given) : Files.createTempDirectory("plumb-demo-");
            } catch (IOException e) {
                err.println("plumb: cannot make the demo's directory: " + FileErrors.describe(e));
                return ExitCodes.INVALID;
            }
            // Ctrl-C, during the demo or while it serves, stops the server before its directory goes.
            AtomicReference<PlumbServer> running = new AtomicReference<>();
            Thread stop = new Thread(() -> {
                PlumbServer server = running.getAndSet(null);
                if (server != null) {
                    server.close();
                }
                removeUnlessGiven(directory, given, err);
            }, "plumb-demo-stop");
            Runtime.getRuntime().addShutdownHook(stop);
            try {
                return converge(directory, root, serve, running, out);
            } catch (DemoException | ServerStartException | PullException e) {
                err.println("plumb: the demo could not run: " + e.getMessage());
                return ExitCodes.INVALID;
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(stop);
                    stop.run();
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl-C came first: the hook is stopping the server and removing the directory.
                }
            }
        }

        private static int converge(Path directory, Path root, boolean serve, AtomicReference<PlumbServer> running,
                                     PrintWriter out) throws DemoException, ServerStartException, PullException, InterruptedException {
            Clock clock = Clock.systemUTC();
            String commit = DemoProject.commit(directory.resolve("repo"), root);
            out.println("plumb demo: the quickstart project, committed to " + directory.resolve("repo") + " (commit "
                    + commit.substring(0, 12) + ")");
            PlumbServer server = PlumbServer.start(new PlumbServer.Options(directory, "127.0.0.1", 0, List.of(), null,
                    null, directory.resolve("repo").toString(), "main", Duration.ofHours(1), StoreConfig.embedded(directory),
                    Duration.ofDays(90), Duration.ofMinutes(30)), clock, line -> log(out, "plumb server", line));
            running.set(server);
            URI url = URI.create("https://127.0.0.1:" + server.port());
            ServerClient admin = admin(url, directory);
            Enrollment.enroll(url, HOST, enrollToken(admin), directory.resolve("agent"), clock);
            out.println("plumb demo: this machine's agent enrolled as host " + HOST + "; it runs once:");
            out.flush();
            int exit = new PullAgent(directory.resolve("agent"), null, new AgentLog(out, clock)).runOnce();
            out.println();
            StatusCommand.printTable(hosts(admin), out);
            out.println();
            out.println("Everything the agent manages is under " + root + " (rm -rf " + root + " undoes it).");
            if (serve) {
                out.println("The server keeps running until Ctrl-C; in another terminal, for example:");
                out.println("  plumb status --server " + url + " --state-dir " + directory);
                out.flush();
                new CountDownLatch(1).await();
            }
            return exit;
        }

        /** The server's admin client, with the token and CA it made in {@code directory} at its first start. */
        private static ServerClient admin(URI url, Path directory) throws DemoException {
            Path serverDirectory = PlumbServer.directory(directory);
            try {
                return ServerClient.of(url, AdminToken.read(serverDirectory.resolve(AdminToken.FILE)),
                        serverDirectory.resolve("tls/ca.pem"));
            } catch (IOException e) {
                throw new DemoException("cannot read the server's admin token or CA: " + FileErrors.describe(e));
            }
        }

        /** A one-time enrolment token for the demo's host, as {@code plumb server enroll} asks for one. */
        private static String enrollToken(ServerClient admin) throws DemoException {
            byte[] body = call(() -> admin.post("/api/v1/enroll-tokens", Json.MAPPER.writeValueAsBytes(Map.of("host", HOST))));
            return (String) Json.MAPPER.readValue(body, Map.class).get("token");
        }

        @SuppressWarnings("unchecked")
        private static List<Map<String, Object>> hosts(ServerClient admin) throws DemoException {
            return Json.MAPPER.readValue(call(() -> admin.get("/api/v1/hosts")), List.class);
        }

        /** The body of a successful answer to {@code request}. */
        private static byte[] call(Request request) throws DemoException {
            ServerClient.Response response;
            try {
                response = request.send();
            } catch (IOException e) {
                throw new DemoException("the demo's server did not answer: " + e.getMessage());
            }
            if (!response.ok()) {
                throw new DemoException("the demo's server answered " + response.status() + ": " + response.error());
            }
            return response.body();
        }

        private interface Request {
            ServerClient.Response send() throws IOException;
        }

        private static void log(PrintWriter out, String who, String line) {
            out.println(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + who + ": " + line);
            out.flush();
        }

        private static void removeUnlessGiven(Path directory, Path given, PrintWriter err) {
            if (given != null || !Files.exists(directory)) {
                return;
            }
            try {
                AtomicFiles.removeTree(directory);
            } catch (IOException e) {
                err.println("plumb: could not remove the demo's directory " + directory + ": " + FileErrors.describe(e));
            }
        }
    }

    /** Why the demo could not run: a step of it failed, and says how. */
    static final class DemoException extends Exception {

        DemoException(String message) {
            super(message);
        }
    }
}

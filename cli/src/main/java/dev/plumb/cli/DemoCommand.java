package dev.plumb.cli;

import dev.plumb.agent.StopOnSignal;
import dev.plumb.agent.pull.AgentLog;
import dev.plumb.agent.pull.Enrollment;
import dev.plumb.agent.pull.PullAgent;
import dev.plumb.agent.pull.PullException;
import dev.plumb.catalog.Json;
import dev.plumb.server.PlumbServer;
import dev.plumb.server.ServerClient;
import dev.plumb.server.ServerStartException;
import dev.plumb.server.store.StoreConfig;
import dev.plumb.system.AtomicFiles;
import dev.plumb.system.FileErrors;
import dev.plumb.system.PrivateFiles;
import dev.plumb.system.SafePaths;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code plumb demo}: plumb's whole loop on this machine, from what plumb.jar carries. The quickstart project is
 * committed to a git repository, a plumb server with its embedded H2 store serves it on loopback, this machine's agent
 * enrolls as the project's host {@code local}, converges this machine (everything under one directory) and reports,
 * and the fleet is shown as the server stored it.
 */
final class DemoCommand implements Callable<Integer> {

    final CommandSpec spec = CommandSpecs.command(this, "demo", "Run plumb's whole loop on this machine: a server on H2 "
            + "serves the quickstart project from a git repository, this machine's agent converges to it (everything "
            + "under --root) and reports, and the fleet is shown.%nExit: as apply's (0 nothing to change, 2 changes "
            + "applied, 4 failures, 6 both), 1 the demo could not run.");

    private final OptionSpec stateDirectoryOption = CommandSpecs.pathOption("--state-dir", "DIR", "keep the "
            + "demo's repository, server (CA, admin token, H2 store) and agent here, for the next demo to reuse: a new "
            + "or empty directory, or one an earlier demo kept (default: a temporary directory, removed at the end)").build();

    private final OptionSpec rootOption = CommandSpecs.option("--root", String.class, "DIR", "where the project puts "
            + "its files, an absolute path (default: ${DEFAULT-VALUE})").defaultValue(DemoProject.DEFAULT_ROOT).build();

    private final OptionSpec serveOption = CommandSpecs.flag("--serve", "keep the server running after the agent's run, "
            + "until Ctrl-C, to try plumb status and the API against it");

    DemoCommand() {
        spec.addOption(stateDirectoryOption).addOption(rootOption).addOption(serveOption);
    }

    @Override
    public Integer call() {
        Path stateDirectory = stateDirectoryOption.getValue();
        String root = rootOption.getValue();
        boolean serve = serveOption.getValue();
        PrintWriter err = spec.commandLine().getErr();
        if (!ServerLibraries.present(DemoCommand.class.getClassLoader())) {
            err.println("plumb: " + ServerLibraries.MISSING);
            return ExitCodes.INVALID;
        }
        String problem = root.equals("/") ? "'/' is the whole filesystem; give a directory of the demo's own"
                : SafePaths.problem(root);
        if (problem != null) {
            err.println("plumb: --root " + problem);
            return ExitCodes.INVALID;
        }
        return Loop.run(stateDirectory, Path.of(root), serve, spec.commandLine().getOut(), err);
    }

    /**
     * The demo itself. A class of its own, as {@link ServerCommand}'s foreground is: Main loads every command's class
     * for its help, and the server's classes must load only when the demo runs.
     */
    static final class Loop {

        /** The host the demo's agent enrolls as: the quickstart's inventory names this machine {@code local}. */
        static final String HOST = "local";
        /** What marks a directory as a demo's own, for a later {@code --state-dir} to reuse. */
        static final String MARKER = ".plumb-demo";

        private final Path root;
        private final boolean serve;
        private final PrintWriter out;
        private final Clock clock = Clock.systemUTC();
        private final AtomicReference<PullAgent> agent = new AtomicReference<>();
        /** Counted down by a signal. */
        private final CountDownLatch stopped = new CountDownLatch(1);

        private Loop(Path root, boolean serve, PrintWriter out) {
            this.root = root;
            this.serve = serve;
            this.out = out;
        }

        static int run(Path given, Path root, boolean serve, PrintWriter out, PrintWriter err) {
            Path directory;
            try {
                directory = given != null ? ownDirectory(given) : Files.createTempDirectory("plumb-demo-");
            } catch (IOException e) {
                err.println("plumb: cannot make the demo's directory: " + FileErrors.describe(e));
                return ExitCodes.INVALID;
            } catch (UsageException e) {
                err.println("plumb: " + e.getMessage());
                return ExitCodes.INVALID;
            }
            Loop loop = new Loop(root, serve, out);
            try {
                // Ctrl-C stops the agent in order (it reports what it did), or ends --serve; the demo then stops its
                // server and removes its directory, and exits as the agent's run did.
                return StopOnSignal.around(loop::stop, () -> {
                    try {
                        return loop.converge(directory);
                    } catch (UsageException | ServerStartException | PullException | IOException e) {
                        err.println("plumb: the demo could not run: " + e.getMessage());
                        return ExitCodes.INVALID;
                    } finally {
                        if (given == null) {
                            remove(directory, err);
                        }
                    }
                });
            } catch (IOException impossible) {
                throw new IllegalStateException("the demo throws no IOException; this is a bug in plumb", impossible);
            }
        }

        /**
         * {@code given}, made 0700 when missing: a directory of this user's that no one else can write (it holds the
         * demo server's CA key and admin token), and that an earlier demo kept or that is empty. Any other is refused as
         * it is, never changed: {@code --state-dir} of plumb's own state would run the demo on the real server's CA and
         * store.
         */
        private static Path ownDirectory(Path given) throws IOException, UsageException {
            if (!Files.exists(given, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(given, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                return marked(given);
            }
            if (!Files.isDirectory(given, LinkOption.NOFOLLOW_LINKS)) {
                throw new UsageException("--state-dir " + given + " is not a directory");
            }
            if (!PrivateFiles.ownedByUsAlone(given)) {
                throw new UsageException("--state-dir " + given + " is another user's or can be written by others, and "
                        + "the demo keeps its server's CA key there; name a directory only you can write");
            }
            if (Files.exists(given.resolve(MARKER), LinkOption.NOFOLLOW_LINKS)) {
                return given;
            }
            try (Stream<Path> entries = Files.list(given)) {
                if (entries.findAny().isPresent()) {
                    throw new UsageException("--state-dir " + given + " holds files of something else than plumb "
                            + "demo; name a new or empty directory, or one an earlier demo kept");
                }
            }
            return marked(given);
        }

        /** {@code directory}, marked as a demo's own. */
        private static Path marked(Path directory) throws IOException {
            Files.writeString(directory.resolve(MARKER), "the state of plumb demo: its repository, server and agent\n",
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return directory;
        }

        /** A signal: the agent stops in order, and --serve stops serving. */
        private void stop() {
            PullAgent running = agent.get();
            if (running != null) {
                running.stop();
            }
            stopped.countDown();
        }

        private int converge(Path directory) throws UsageException, ServerStartException, PullException, IOException {
            Path repository = directory.resolve("repo");
            String commit = DemoProject.commit(repository, root);
            out.println("plumb demo: the quickstart project, committed to " + repository + " (commit "
                    + commit.substring(0, 12) + ")");
            PlumbServer server = PlumbServer.start(new PlumbServer.Options(directory, "127.0.0.1", 0, List.of(), null,
                    null, repository.toString(), "main", Duration.ofHours(1), StoreConfig.embedded(directory),
                    Duration.ofDays(90), Duration.ofMinutes(30)), clock, this::serverLog);
            try {
                URI url = URI.create("https://127.0.0.1:" + server.port());
                ServerClient admin = AdminOptions.client(url, null, null, directory);
                Map<?, ?> issued = Json.MAPPER.readValue(AdminOptions.answered(admin, url,
                        ServerCommand.Enroll.issueToken(HOST)), Map.class);
                Path agentState = directory.resolve("agent");
                Enrollment.enroll(url, HOST, (String) issued.get("token"), agentState, clock);
                PullAgent pull = new PullAgent(agentState, null, new AgentLog(out, clock));
                agent.set(pull);
                if (stopping()) {
                    return PullAgent.NOTHING_APPLIED;
                }
                out.println("plumb demo: this machine's agent enrolled as host " + HOST + "; it runs once:");
                out.flush();
                int exit = pull.runOnce();
                out.println();
                StatusCommand.printTable(Json.MAPPER.readValue(AdminOptions.answered(admin, url,
                        client -> client.get("/api/v1/hosts")), List.class), out);
                if (exit != PullAgent.NOTHING_APPLIED) {
                    out.println();
                    out.println("Everything the agent manages is under " + root + " (rm -rf " + root + " undoes it).");
                }
                if (serve && !stopping()) {
                    out.println("The server keeps running until Ctrl-C; in another terminal, for example:");
                    out.println("  plumb status --server " + url + " --state-dir " + directory);
                    out.flush();
                    awaitStop();
                }
                return exit;
            } finally {
                server.close();
            }
        }

        private boolean stopping() {
            return stopped.getCount() == 0;
        }

        private void awaitStop() {
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void serverLog(String line) {
            out.println(clock.instant().truncatedTo(ChronoUnit.SECONDS) + " server: " + line);
            out.flush();
        }

        private static void remove(Path directory, PrintWriter err) {
            try {
                AtomicFiles.removeTree(directory);
            } catch (IOException e) {
                err.println("plumb: could not remove the demo's directory " + directory + ": " + FileErrors.describe(e));
            }
        }
    }
}

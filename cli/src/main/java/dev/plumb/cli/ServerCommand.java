package dev.plumb.cli;

import dev.plumb.agent.RunRefusedException;
import dev.plumb.agent.StateDirectory;
import dev.plumb.catalog.Json;
import dev.plumb.server.PlumbServer;
import dev.plumb.server.ServerStartException;
import dev.plumb.server.store.StoreConfig;
import dev.plumb.system.FileErrors;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** {@code plumb server}: the HTTPS server agents pull their catalogs from and report to; and its enrolments. */
final class ServerCommand implements Callable<Integer> {

    final CommandSpec spec = CommandSpecs.command(this, "server", "Serve the project in a git repository to agents over "
            + "HTTPS and keep every run they report; runs in the foreground until stopped.%n"
            + "Exit: 0 stopped, 1 cannot start.");

    private final OptionSpec repoOption = CommandSpecs.option("--repo", String.class, "URL|PATH",
            "the project's git repository (required)").build();

    private final OptionSpec branchOption = CommandSpecs.option("--branch", String.class, "BRANCH",
            "the branch to serve (default: ${DEFAULT-VALUE})").defaultValue("main").build();

    private final OptionSpec fetchIntervalOption = CommandSpecs.option("--fetch-interval", Duration.class, "DURATION",
            "how often to fetch the branch; POST /api/v1/hooks/git fetches at once (default: ${DEFAULT-VALUE})")
            .defaultValue("60s").converters(new DurationOption()).build();

    private final OptionSpec listenOption = CommandSpecs.option("--listen", String.class, "HOST:PORT", "where to listen "
            + "(default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0:8443 for every address)")
            .defaultValue("127.0.0.1:8443").build();

    private final OptionSpec tlsNamesOption = CommandSpecs.option("--tls-name", List.class, "NAME", "a name or address "
            + "agents reach the server by, for its certificate (repeatable; default: the listen address and localhost)")
            .auxiliaryTypes(String.class).initialValue(new ArrayList<String>()).build();

    private final OptionSpec tlsCertOption = CommandSpecs.pathOption("--tls-cert", "FILE", "serve this "
            + "certificate chain (PEM, the server's first, its CA's last) rather than one of the server's own CA; with "
            + "--tls-key").build();

    private final OptionSpec tlsKeyOption = CommandSpecs.pathOption("--tls-key", "FILE",
            "the private key of --tls-cert, PEM").build();

    private final OptionSpec dbOption = CommandSpecs.option("--db", String.class, "JDBC-URL", "the store, e.g. "
            + "jdbc:postgresql://db:5432/plumb (default: an H2 file under STATE/server)").build();

    private final OptionSpec dbUserOption = CommandSpecs.option("--db-user", String.class, "USER",
            "the database user").build();

    private final OptionSpec dbPasswordFileOption = CommandSpecs.pathOption("--db-password-file", "FILE",
            "a file holding the database password (never on the command line)").build();

    private final OptionSpec retentionOption = CommandSpecs.option("--retention", Duration.class, "DURATION",
            "how long runs are kept; a host's latest run is always kept (default: ${DEFAULT-VALUE})")
            .defaultValue("90d").converters(new DurationOption()).build();

    private final OptionSpec agentIntervalOption = CommandSpecs.option("--agent-interval", Duration.class, "DURATION",
            "the agents' interval: a host with no report for two is unreachable (default: ${DEFAULT-VALUE})")
            .defaultValue("30m").converters(new DurationOption()).build();

    private final OptionSpec stateDirectoryOption = CommandSpecs.pathOption("--state-dir", "DIR", "where the "
            + "server keeps its CA, admin token, git mirror and H2 store (default: /var/lib/plumb as root, else "
            + "~/.local/state/plumb)").build();

    ServerCommand() {
        spec.addOption(repoOption).addOption(branchOption).addOption(fetchIntervalOption).addOption(listenOption)
                .addOption(tlsNamesOption).addOption(tlsCertOption).addOption(tlsKeyOption).addOption(dbOption)
                .addOption(dbUserOption).addOption(dbPasswordFileOption).addOption(retentionOption)
                .addOption(agentIntervalOption).addOption(stateDirectoryOption);
        spec.addSubcommand("enroll", new Enroll().spec);
        spec.addSubcommand("revoke", new Revoke().spec);
    }

    @Override
    public Integer call() throws InterruptedException {
        if (!ServerLibraries.present(ServerCommand.class.getClassLoader())) {
            spec.commandLine().getErr().println("plumb: " + ServerLibraries.MISSING);
            return ExitCodes.INVALID;
        }
        try {
            return Foreground.run(options(), spec.commandLine().getErr());
        } catch (UsageException e) {
            spec.commandLine().getErr().println("plumb: " + e.getMessage());
            return ExitCodes.INVALID;
        }
    }

    /**
     * The server in the foreground until the JVM is told to stop. A class of its own: Main loads every command's class,
     * and the server's classes must load only when the server runs.
     */
    private static final class Foreground {

        static int run(PlumbServer.Options options, PrintWriter err) throws InterruptedException {
            PlumbServer server;
            try {
                server = PlumbServer.start(options, Clock.systemUTC(), line -> {
                    synchronized (err) {
                        err.println(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + line);
                        err.flush();
                    }
                });
            } catch (ServerStartException e) {
                err.println("plumb: " + e.getMessage());
                return ExitCodes.INVALID;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }, "plumb-server-stop"));
            stopped.await();
            return ExitCodes.OK;
        }
    }

    private PlumbServer.Options options() throws UsageException {
        String repo = repoOption.getValue();
        Path tlsCert = tlsCertOption.getValue();
        Path tlsKey = tlsKeyOption.getValue();
        String listen = listenOption.getValue();
        if (repo == null || repo.isBlank()) {
            throw new UsageException("--repo is required: the project's git repository, a URL or a path");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new UsageException("--tls-cert and --tls-key go together: the certificate chain and its key");
        }
        int colon = listen.lastIndexOf(':');
        if (colon <= 0 || !listen.substring(colon + 1).matches("[0-9]{1,5}")
                || Integer.parseInt(listen.substring(colon + 1)) > 65535) {
            throw new UsageException("--listen " + listen + ": expected HOST:PORT, e.g. 127.0.0.1:8443 or 0.0.0.0:8443");
        }
        String host = listen.substring(0, colon).replaceAll("^\\[|]$", "");
        Path state;
        try {
            state = StateDirectory.resolve(stateDirectoryOption.getValue());
        } catch (RunRefusedException e) {
            throw new UsageException(e.getMessage());
        }
        return new PlumbServer.Options(state, host, Integer.parseInt(listen.substring(colon + 1)), tlsNamesOption.getValue(),
                tlsCert, tlsKey, repo, branchOption.getValue(), fetchIntervalOption.getValue(),
                new StoreConfig(dbOption.getValue(), dbUserOption.getValue(), dbPassword(), state), retentionOption.getValue(),
                agentIntervalOption.getValue());
    }

    private String dbPassword() throws UsageException {
        Path dbPasswordFile = dbPasswordFileOption.getValue();
        if (dbPasswordFile == null) {
            return System.getenv("PLUMB_DB_PASSWORD");
        }
        try {
            return Files.readString(dbPasswordFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UsageException("--db-password-file: " + FileErrors.describe(e));
        }
    }

    /** A call of the server's API about one host, as its admin. */
    abstract static class OnHost implements Callable<Integer> {

        final CommandSpec spec;

        final AdminOptions admin;

        private final PositionalParamSpec hostParameter = CommandSpecs.parameter("HOST", String.class, "1",
                "the host, as named in the inventory").build();

        OnHost(String name, String description) {
            spec = CommandSpecs.command(this, name, description);
            spec.addPositional(hostParameter);
            admin = new AdminOptions(spec);
        }

        String host() {
            return hostParameter.getValue();
        }
    }

    /** {@code plumb server enroll HOST}: a one-time token for a host's agent, and the command to run with it. */
    static final class Enroll extends OnHost {

        Enroll() {
            super("enroll", "Print a one-time enrolment token for HOST (valid 24 h) and the command its agent runs with "
                    + "it.%nExit: 0 printed, 1 the server refused or cannot be reached.");
        }

        /** The call that asks the server for a token for {@code host}; its answer holds {@code token} and {@code expiresAt}. */
        static AdminOptions.Call issueToken(String host) {
            return client -> client.post("/api/v1/enroll-tokens", Json.MAPPER.writeValueAsBytes(Map.of("host", host)));
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            String host = host();
            return admin.call(spec, issueToken(host), body -> {
                Map<?, ?> issued = Json.MAPPER.readValue(body, Map.class);
                String token = (String) issued.get("token");
                out.println("Enrolment token for " + host + " (one use, valid until " + issued.get("expiresAt") + "):");
                out.println("  " + token);
                out.println();
                out.println("On " + host + ", as root:");
                out.println("  plumb-agent enroll --server " + admin.server() + " --host " + host + " --token " + token);
                out.println("  plumb-agent install --server " + admin.server());
            });
        }
    }

    /** {@code plumb server revoke HOST}: the host's credential no longer works. */
    static final class Revoke extends OnHost {

        Revoke() {
            super("revoke", "Revoke HOST's credential: its agent is refused (401) until enrolled again.%n"
                    + "Exit: 0 revoked, 1 no such enrolled host, refused or unreachable.");
        }

        @Override
        public Integer call() {
            String host = host();
            return admin.call(spec, client -> client.delete("/api/v1/hosts/" + host + "/credential"),
                    body -> spec.commandLine().getOut().println(host + "'s credential is revoked; its agent is refused "
                            + "until it enrolls again (plumb server enroll " + host + ")."));
        }
    }
}

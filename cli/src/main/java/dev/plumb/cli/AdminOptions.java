package dev.plumb.cli;

import dev.plumb.agent.RunRefusedException;
import dev.plumb.agent.StateDirectory;
import dev.plumb.server.AdminToken;
import dev.plumb.server.PlumbServer;
import dev.plumb.server.ServerClient;
import dev.plumb.system.FileErrors;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * How a command reaches the server as its admin: the server's URL, the admin token and the CA to trust, by default
 * the ones {@code plumb server} made in its state directory on this machine.
 */
final class AdminOptions {

    private final OptionSpec serverOption = CommandSpecs.option("--server", URI.class, "URL",
            "the server, e.g. https://plumb.example:8443 (default: ${DEFAULT-VALUE})")
            .defaultValue("https://localhost:8443").build();

    private final OptionSpec tokenFileOption = CommandSpecs.pathOption("--token-file", "FILE",
            "the admin token (default: STATE/server/admin-token)").build();

    private final OptionSpec caOption = CommandSpecs.pathOption("--ca", "FILE", "the CA certificate to trust, PEM "
            + "(default: STATE/server/tls/ca.pem when there is one, else the JDK's CAs)").build();

    private final OptionSpec stateDirectoryOption = CommandSpecs.pathOption("--state-dir", "DIR", "the server's "
            + "state directory, where its admin token and CA are (default: /var/lib/plumb as root, else "
            + "~/.local/state/plumb)").build();

    AdminOptions(CommandSpec command) {
        command.addOption(serverOption).addOption(tokenFileOption).addOption(caOption).addOption(stateDirectoryOption);
    }

    /** The server's URL. */
    URI server() {
        return serverOption.getValue();
    }

    /** A client of the server with the admin token; a token or CA that does not read is the user's to fix. */
    ServerClient client() throws UsageException {
        return client(server(), tokenFileOption.getValue(), caOption.getValue(), stateDirectoryOption.getValue());
    }

    /**
     * A client of {@code server} with the admin token in {@code tokenFile}, trusting {@code ca}; each, when null, as
     * {@code plumb server} keeps it in the state directory ({@code stateDirectory}, or the default one).
     */
    static ServerClient client(URI server, Path tokenFile, Path ca, Path stateDirectory) throws UsageException {
        try {
            Path serverDirectory = PlumbServer.directory(StateDirectory.resolve(stateDirectory));
            Path token = tokenFile != null ? tokenFile : serverDirectory.resolve(AdminToken.FILE);
            Path trusted = ca != null ? ca : Files.exists(serverDirectory.resolve("tls/ca.pem"))
                    ? serverDirectory.resolve("tls/ca.pem") : null;
            String credential;
            try {
                credential = AdminToken.read(token);
            } catch (IOException e) {
                throw new UsageException("cannot read the admin token " + token + ": " + FileErrors.describe(e)
                        + "; run this on the server's machine as the user it runs as, or give the token's file");
            }
            return ServerClient.of(server, credential, trusted);
        } catch (RunRefusedException | IOException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** What a call that did not get through says: the server and why. */
    static String unreachable(URI server, IOException e) {
        return "cannot reach the server at " + server + ": " + (e.getMessage() == null ? e.toString() : e.getMessage());
    }

    /** One call of the API: a server's answer. */
    interface Call {
        ServerClient.Response send(ServerClient client) throws IOException;
    }

    /** What a command prints of a successful answer's body. */
    interface Answer {
        void print(byte[] body);
    }

    /** Makes one call as admin and prints its answer: an answer that is not 2xx, or none, is exit 1 with its reason. */
    int call(CommandSpec spec, Call call, Answer answer) {
        try {
            answer.print(answered(client(), server(), call));
            return ExitCodes.OK;
        } catch (UsageException e) {
            spec.commandLine().getErr().println("plumb: " + e.getMessage());
            return ExitCodes.INVALID;
        }
    }

    /** The body of {@code client}'s 2xx answer to {@code call}; any other answer, or none, is the reason why not. */
    static byte[] answered(ServerClient client, URI server, Call call) throws UsageException {
        ServerClient.Response response;
        try {
            response = call.send(client);
        } catch (IOException e) {
            throw new UsageException(unreachable(server, e));
        }
        if (!response.ok()) {
            throw new UsageException("the server answered " + response.status() + ": " + response.error());
        }
        return response.body();
    }
}

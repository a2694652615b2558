package dev.plumb.cli;

import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code plan}, {@code apply} and {@code check} with {@code --server URL}: every host's report also goes to a plumb
 * server's store, as an agent's would. Nothing of the server's client loads without the option.
 */
final class ServerReportOptions {

    @Option(names = "--server", paramLabel = "URL", description = "also post every host's report to this plumb server "
            + "(with its admin token)")
    URI server;

    @Option(names = "--server-token-file", paramLabel = "FILE", converter = ProjectOptions.NonEmptyPath.class,
            description = "the server's admin token (default: STATE/server/admin-token)")
    Path tokenFile;

    @Option(names = "--server-ca", paramLabel = "FILE", converter = ProjectOptions.NonEmptyPath.class,
            description = "the server's CA certificate, PEM (default: STATE/server/tls/ca.pem when there is one, else "
                    + "the JDK's CAs)")
    Path ca;

    /** Where the reports go, or null without {@code --server}. */
    ReportPoster poster(Path stateDirectory) throws UsageException {
        return server == null ? null : new ReportPoster(server, AdminOptions.client(server, tokenFile, ca, stateDirectory));
    }
}

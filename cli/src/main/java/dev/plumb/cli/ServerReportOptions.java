package dev.plumb.cli;

import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code plan}, {@code apply} and {@code check} with {@code --server URL}: every host's report also goes to a plumb
 * server's store, as an agent's would. Nothing of the server's client loads without the option.
 */
final class ServerReportOptions {

    private final OptionSpec serverOption = CommandSpecs.option("--server", URI.class, "URL",
            "also post every host's report to this plumb server (with its admin token)").build();

    private final OptionSpec tokenFileOption = CommandSpecs.pathOption("--server-token-file", "FILE",
            "the server's admin token (default: STATE/server/admin-token)")
            .build();

    private final OptionSpec caOption = CommandSpecs.pathOption("--server-ca", "FILE", "the server's CA certificate, "
            + "PEM (default: STATE/server/tls/ca.pem when there is one, else the JDK's CAs)").build();

    ServerReportOptions(CommandSpec command) {
        command.addOption(serverOption).addOption(tokenFileOption).addOption(caOption);
    }

    /** Where the reports go, or null without {@code --server}. */
    ReportPoster poster(Path stateDirectory) throws UsageException {
        URI server = serverOption.getValue();
        return server == null ? null
                : new ReportPoster(server, AdminOptions.client(server, tokenFileOption.getValue(), caOption.getValue(), stateDirectory));
    }
}

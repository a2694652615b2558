package dev.plumb.cli;

import dev.plumb.transport.SshOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The options of every command that may reach hosts over SSH. */
final class SshCommandOptions {

    /** A project may keep the host keys of its hosts beside its inventory, in git. */
    static final String PROJECT_KNOWN_HOSTS = "known_hosts";

    private final OptionSpec connectTimeoutOption = CommandSpecs.option("--connect-timeout", int.class, "SECONDS",
            "how long a host may take to answer over SSH and let plumb in (default: ${DEFAULT-VALUE})")
            .defaultValue(String.valueOf(SshOptions.DEFAULT_CONNECT_TIMEOUT.toSeconds())).build();

    private final OptionSpec hostTimeoutOption = CommandSpecs.option("--host-timeout", int.class, "SECONDS",
            "how long one host may take over SSH, to connect and gather its facts, then again from its turn to run to "
                    + "its report, before its run is cancelled (default: ${DEFAULT-VALUE})")
            .defaultValue(String.valueOf(SshOptions.DEFAULT_RUN_TIMEOUT.toSeconds())).build();

    private final OptionSpec acceptNewHostKeysOption = CommandSpecs.flag("--accept-new-host-keys", "trust the key of a host "
            + "not yet in known_hosts and record it there, as OpenSSH's StrictHostKeyChecking=accept-new; a changed key "
            + "is refused all the same");

    SshCommandOptions(CommandSpec command) {
        command.addOption(connectTimeoutOption).addOption(hostTimeoutOption).addOption(acceptNewHostKeysOption);
    }

    /** The SSH options of a command on the project in {@code projectDirectory}. */
    SshOptions sshOptions(Path projectDirectory) throws UsageException {
        Path knownHosts = projectDirectory.resolve(PROJECT_KNOWN_HOSTS);
        return new SshOptions(seconds(connectTimeoutOption), seconds(hostTimeoutOption), acceptNewHostKeysOption.getValue(),
                Files.isRegularFile(knownHosts) ? knownHosts : null);
    }

    private static Duration seconds(OptionSpec option) throws UsageException {
        int seconds = option.getValue();
        if (seconds < 1) {
            throw new UsageException(option.longestName() + " takes a number of seconds from 1, got " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }
}

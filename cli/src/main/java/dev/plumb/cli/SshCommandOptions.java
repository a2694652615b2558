package dev.plumb.cli;

import dev.plumb.transport.SshOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options of every command that may reach hosts over SSH. */
final class SshCommandOptions {

    /** A project may keep the host keys of its hosts beside its inventory, in git. */
    static final String PROJECT_KNOWN_HOSTS = "known_hosts";

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", description = "how long a host may take to answer "
            + "over SSH and let plumb in (default: ${DEFAULT-VALUE})")
    int connectTimeoutSeconds = (int) SshOptions.DEFAULT_CONNECT_TIMEOUT.toSeconds();

    @Option(names = "--host-timeout", paramLabel = "SECONDS", description = "how long one host may take over SSH, "
            + "to connect and gather its facts, then again from its turn to run to its report, before its run is "
            + "cancelled (default: ${DEFAULT-VALUE})")
    int hostTimeoutSeconds = (int) SshOptions.DEFAULT_RUN_TIMEOUT.toSeconds();

    @Option(names = "--accept-new-host-keys", description = "trust the key of a host not yet in known_hosts and record "
            + "it there, as OpenSSH's StrictHostKeyChecking=accept-new; a changed key is refused all the same")
    boolean acceptNewHostKeys;

    /** The SSH options of a command on the project in {@code projectDirectory}. */
    SshOptions sshOptions(Path projectDirectory) throws UsageException {
        Path knownHosts = projectDirectory.resolve(PROJECT_KNOWN_HOSTS);
        return new SshOptions(seconds(connectTimeoutSeconds, "--connect-timeout"), seconds(hostTimeoutSeconds, "--host-timeout"),
                acceptNewHostKeys, Files.isRegularFile(knownHosts) ? knownHosts : null);
    }

    private static Duration seconds(int seconds, String option) throws UsageException {
        if (seconds < 1) {
            throw new UsageException(option + " takes a number of seconds from 1, got " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }
}

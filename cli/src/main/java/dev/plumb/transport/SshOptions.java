package dev.plumb.transport;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a command reaches the hosts it runs over SSH.
 *
 * @param connectTimeout    how long to wait for a host to answer and authenticate
 * @param runTimeout        how long one host may take to connect and gather its facts, then again from its turn to run
 *                          to its report; then its run is cancelled
 * @param acceptNewHostKeys record the key of a host not yet known, as OpenSSH's {@code StrictHostKeyChecking=accept-new};
 *                          a changed key is refused all the same
 * @param projectKnownHosts the project's own {@code known_hosts}, read besides {@code ~/.ssh/known_hosts}; null when
 *                          the project has none
 */
public record SshOptions(Duration connectTimeout, Duration runTimeout, boolean acceptNewHostKeys, Path projectKnownHosts) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RUN_TIMEOUT = Duration.ofHours(1);

    /** OpenSSH's defaults: keys of new hosts are not accepted. */
    public static SshOptions defaults(Path projectKnownHosts) {
        return new SshOptions(DEFAULT_CONNECT_TIMEOUT, DEFAULT_RUN_TIMEOUT, false, projectKnownHosts);
    }
}

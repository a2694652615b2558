package dev.plumb.server.store;

import java.time.Instant;
import java.util.List;

/**
 * A commit and the hosts whose latest apply ran it. {@code seenAt}, {@code valid} and {@code error} come from the
 * server following the repository; they are null for a commit known only from reports (as from
 * {@code plumb apply --server}).
 */
public record CommitHosts(String commit, Instant seenAt, Boolean valid, String error, List<String> hosts) {

    public CommitHosts {
        hosts = List.copyOf(hosts);
    }
}

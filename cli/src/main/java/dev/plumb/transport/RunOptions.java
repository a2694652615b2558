package dev.plumb.transport;

import dev.plumb.catalog.Mode;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How to run catalogs on a host.
 *
 * @param mode           plan, apply or check
 * @param checks         whether the catalog's checks run after its resources (never after a plan)
 * @param stateDirectory where the host keeps reports, backups and pending refreshes; null for its default
 * @param lockWait       how long an apply waits for another one on the host to end
 */
public record RunOptions(Mode mode, boolean checks, Path stateDirectory, Duration lockWait) {
}

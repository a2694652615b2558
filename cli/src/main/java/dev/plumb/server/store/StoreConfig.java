package dev.plumb.server.store;

import dev.plumb.agent.RunRefusedException;
import dev.plumb.agent.StateDirectory;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Where the store lives. A null {@code jdbcUrl} means the embedded H2 file {@code STATE/server/store}; otherwise
 * a {@code jdbc:postgresql://} URL (or a {@code jdbc:h2:} one) with its user and password, which may be null.
 *
 * @param stateDir the server's state directory, for the embedded store
 * @param clock    the time tokens are issued, redeemed and expire, and reports are received at
 */
public record StoreConfig(String jdbcUrl, String user, String password, Path stateDir, Clock clock) {

    /** The store in plumb's default state directory ({@code $PLUMB_STATE_DIR}, /var/lib/plumb as root). */
    public StoreConfig(String jdbcUrl, String user, String password) {
        this(jdbcUrl, user, password, defaultStateDir(), Clock.systemUTC());
    }

    public StoreConfig(String jdbcUrl, String user, String password, Path stateDir) {
        this(jdbcUrl, user, password, stateDir, Clock.systemUTC());
    }

    /** The embedded H2 store under {@code stateDir}. */
    public static StoreConfig embedded(Path stateDir) {
        return new StoreConfig(null, null, null, stateDir);
    }

    private static Path defaultStateDir() {
        try {
            return StateDirectory.resolve(null);
        } catch (RunRefusedException e) {
            throw new IllegalStateException("no explicit state directory cannot be refused (this is a bug in plumb)", e);
        }
    }

    /** The file the embedded store keeps its data in, without H2's {@code .mv.db} suffix. */
    public Path embeddedFile() {
        return stateDir.resolve("server").resolve("store");
    }
}

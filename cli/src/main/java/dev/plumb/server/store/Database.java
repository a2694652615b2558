package dev.plumb.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.plumb.system.FileErrors;
import dev.plumb.system.PrivateFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;

/** The connection side of the store: which database a configuration means, its pool, and its errors. */
final class Database {

    /**
     * H2 speaks the PostgreSQL dialect of the migrations and queries, folds names to lower case as PostgreSQL does,
     * and stays open until the store closes it rather than until the JVM's shutdown hook runs. WRITE_DELAY=0 writes
     * every commit to the file before the commit returns: by default H2 writes half a second later, so a server killed
     * in between lost reports it had accepted. Concurrent commits share their writes. Every commit rewrites each page
     * it changed, and much of that cost is per page: pages of 8 KB rather than H2's 4 KB made ingest a fifth faster
     * under bench/server (16 KB was no faster). A store made with other pages keeps working and moves to these.
     */
    private static final String H2_SETTINGS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
            + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;PAGE_SIZE=8192";
    /** Unique violation: a row (a commit, say) inserted by a concurrent transaction first. */
    private static final String UNIQUE_VIOLATION = "23505";
    /** Serialisation failure and deadlock (PostgreSQL, H2), and H2's lock timeout: a new attempt may succeed. */
    private static final Set<String> LOST_RACE = Set.of(UNIQUE_VIOLATION, "40001", "40P01", "HYT00");
    private static final int POOL_SIZE = 10;
    private static final String POSTGRESQL = "jdbc:postgresql:";

    private Database() {
    }

    /**
     * How many groups of reports may commit at once. PostgreSQL syncs the commits that wait at the same moment
     * together, so several groups in flight keep its log busy (under bench/server: 1,800–1,900 reports/s with one,
     * 2,080–2,309 with four). H2 writes one chunk at a time: a second group in flight only makes the groups smaller.
     */
    static int concurrentCommits(StoreConfig config) {
        return isPostgresql(config) ? 4 : 1;
    }

    private static boolean isPostgresql(StoreConfig config) {
        return config.jdbcUrl() != null && config.jdbcUrl().startsWith(POSTGRESQL);
    }

    static HikariDataSource pool(StoreConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("plumb-store");
        hikari.setJdbcUrl(jdbcUrl(config));
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(POOL_SIZE);
        if (isPostgresql(config)) {
            // A run's events go as one multi-row INSERT rather than one per resource.
            hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        try {
            return new HikariDataSource(hikari);
        } catch (HikariPool.PoolInitializationException e) {
            throw new StoreException("cannot open the store at " + describe(config) + ": " + rootMessage(e)
                    + (config.jdbcUrl() == null ? "" : "; check that the database runs, exists and accepts this user"), e);
        }
    }

    /** The URL to connect to: the given one (H2 with the settings the schema needs), or the embedded file. */
    static String jdbcUrl(StoreConfig config) {
        String url = config.jdbcUrl();
        if (url == null) {
            Path file = config.embeddedFile();
            createPrivateDirectory(file.getParent());
            return "jdbc:h2:file:" + file.toAbsolutePath() + H2_SETTINGS;
        }
        if (url.startsWith("jdbc:h2:")) {
            return url + H2_SETTINGS;
        }
        if (url.startsWith(POSTGRESQL)) {
            return url;
        }
        throw new StoreException("unsupported store URL " + redacted(url) + ": expected jdbc:postgresql://HOST:PORT/DATABASE"
                + " (or no --db for the embedded store under the state directory)", null);
    }

    private static void createPrivateDirectory(Path directory) {
        try {
            // It holds every report and the credentials' hashes.
            PrivateFiles.directory(directory);
        } catch (IOException e) {
            throw new StoreException("cannot create the store's directory " + directory + " (" + FileErrors.describe(e) + ")"
                    + "; choose another state directory with --state-dir", e);
        }
    }

    /** The store as messages name it, without a password a URL may carry in its parameters. */
    static String describe(StoreConfig config) {
        return config.jdbcUrl() == null ? config.embeddedFile() + ".mv.db" : redacted(config.jdbcUrl());
    }

    private static String redacted(String url) {
        int parameters = url.indexOf('?');
        return parameters < 0 ? url : url.substring(0, parameters) + "?...";
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    /** Jdbi on the pool, binding instants as {@code TIMESTAMP WITH TIME ZONE} in UTC. */
    static Jdbi jdbi(DataSource dataSource) {
        Jdbi jdbi = Jdbi.create(dataSource);
        jdbi.registerArgument(new InstantArgument());
        return jdbi;
    }

    private static final class InstantArgument extends AbstractArgumentFactory<Instant> {
        InstantArgument() {
            super(Types.TIMESTAMP_WITH_TIMEZONE);
        }

        @Override
        protected Argument build(Instant value, ConfigRegistry config) {
            return (position, statement, ctx) -> statement.setObject(position, value.atOffset(ZoneOffset.UTC));
        }
    }

    /**
     * Whether one row may have caused {@code e}: the database refused a value (SQLState classes 22, data, and 23,
     * integrity), or plumb failed before the database said anything; not when the database could not be reached or
     * gave up (a timeout, a lost connection).
     */
    static boolean mayBeCausedByOneRow(RuntimeException e) {
        List<SQLException> sql = sqlExceptions(e);
        if (sql.isEmpty()) {
            return true;
        }
        String state = sql.get(0).getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    /** Whether {@code e} is a race another attempt may win: a duplicate row created at once, a deadlock, a timeout. */
    static boolean isRetryable(Exception e) {
        return sqlExceptions(e).stream().map(SQLException::getSQLState).anyMatch(state -> state != null
                && LOST_RACE.contains(state));
    }

    /** Whether the database itself failed in {@code e}, rather than plumb's use of Jdbi. */
    static boolean isFromTheDatabase(Exception e) {
        return !sqlExceptions(e).isEmpty();
    }

    /** The SQLExceptions among {@code e} and its causes, outermost first. */
    private static List<SQLException> sqlExceptions(Throwable e) {
        List<SQLException> found = new ArrayList<>();
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                found.add(sql);
            }
        }
        return found;
    }
}

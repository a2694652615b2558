package dev.plumb.server;

import dev.plumb.server.api.ApiServer;
import dev.plumb.server.git.GitMirror;
import dev.plumb.server.store.FleetStore;
import dev.plumb.server.store.StoreConfig;
import dev.plumb.server.store.StoreException;
import dev.plumb.server.tls.ServerTls;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One running {@code plumb server}: its TLS, its admin token, its store, the project it follows in git and its
 * HTTPS API, started together and stopped together. Everything it keeps is under {@code STATE/server}, except the
 * runs when the store is a PostgreSQL database that several servers share.
 */
public final class PlumbServer implements AutoCloseable {

    /** How often runs past the retention are removed. */
    private static final Duration RETENTION_SWEEP = Duration.ofHours(1);

    /**
     * How the server runs.
     *
     * @param tlsNames the names and addresses the server's own certificate is for; empty: the listen address and
     *                 localhost
     * @param tlsCert  a certificate chain to serve instead of one issued by the server's own CA, with its {@code tlsKey}
     */
    public record Options(Path stateDir, String listenHost, int port, List<String> tlsNames, Path tlsCert, Path tlsKey,
                          String repo, String branch, Duration fetchInterval, StoreConfig store, Duration retention,
                          Duration agentInterval) {
    }

    private final ScheduledExecutorService background;
    private final FleetStore store;
    private final ServedProject project;
    private final ApiServer api;

    private PlumbServer(ScheduledExecutorService background, FleetStore store, ServedProject project, ApiServer api) {
        this.background = background;
        this.store = store;
        this.project = project;
        this.api = api;
    }

    /** The server directory under a state directory: {@code STATE/server}. */
    public static Path directory(Path stateDir) {
        return stateDir.resolve("server");
    }

    /**
     * Starts a server: fetches the project once (serving its commit at once when it validates), then serves the API,
     * fetching again every {@code fetchInterval} and on the git hook.
     */
    public static PlumbServer start(Options options, Clock clock, Consumer<String> log) throws ServerStartException {
        Path directory = directory(options.stateDir());
        ServerTls tls = options.tlsCert() != null ? ServerTls.given(options.tlsCert(), options.tlsKey())
                : ServerTls.ownCa(directory.resolve("tls"), options.tlsNames().isEmpty()
                        ? ServerTls.defaultNames(options.listenHost()) : options.tlsNames());
        AdminToken admin;
        try {
            admin = AdminToken.loadOrCreate(directory);
        } catch (IOException e) {
            throw new ServerStartException("cannot make or read " + directory.resolve(AdminToken.FILE) + ": " + e.getMessage(), e);
        }
        FleetStore store;
        try {
            store = FleetStore.open(options.store());
        } catch (StoreException e) {
            throw new ServerStartException(e.getMessage(), e);
        }
        ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "plumb-server-git");
            thread.setDaemon(true);
            return thread;
        });
        ServedProject project = null;
        boolean started = false;
        try {
            project = new ServedProject(GitMirror.open(directory.resolve("repo"), options.repo(), options.branch()),
                    directory.resolve("commits"), store, clock, log);
            Runnable fetch = logged(project::update, log);
            fetch.run();
            ApiServer api = ApiServer.start(options.listenHost(), options.port(), new ApiServer.Services(tls, admin, store,
                    project, () -> background.execute(fetch), options.agentInterval(), clock, log));
            long fetchMillis = options.fetchInterval().toMillis();
            background.scheduleWithFixedDelay(fetch, fetchMillis, fetchMillis, TimeUnit.MILLISECONDS);
            background.scheduleWithFixedDelay(() -> sweep(store, options.retention(), clock, log), 0,
                    RETENTION_SWEEP.toMillis(), TimeUnit.MILLISECONDS);
            log.accept("plumb server listening on https://" + hostForUrl(options.listenHost()) + ":" + api.port()
                    + ", following " + options.branch() + " of " + options.repo());
            started = true;
            return new PlumbServer(background, store, project, api);
        } catch (IOException e) {
            throw new ServerStartException(e.getMessage(), e);
        } finally {
            if (!started) {
                background.shutdownNow();
                if (project != null) {
                    project.close();
                }
                store.close();
            }
        }
    }

    /**
     * {@code task}, its failure logged: a scheduled task that throws is never run again, and the server must go on
     * fetching when the store was down for a moment.
     */
    private static Runnable logged(Runnable task, Consumer<String> log) {
        return () -> {
            try {
                task.run();
            } catch (StoreException e) {
                log.accept("git: " + e.getMessage() + "; the commit is validated again at the next fetch");
            } catch (RuntimeException e) {
                log.accept("git: unexpected " + e + " (this is a bug in plumb)");
            }
        };
    }

    private static void sweep(FleetStore store, Duration retention, Clock clock, Consumer<String> log) {
        try {
            int removed = store.deleteRunsOlderThan(clock.instant().minus(retention));
            if (removed > 0) {
                log.accept("retention: removed " + removed + " runs older than " + retention.toDays() + " days");
            }
        } catch (StoreException e) {
            log.accept("retention: " + e.getMessage());
        }
    }

    static String hostForUrl(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    public int port() {
        return api.port();
    }

    /** The commit served now, or null while none has validated. */
    public String servedCommit() {
        return project.servedCommit();
    }

    @Override
    public void close() {
        api.close();
        background.shutdownNow();
        try {
            background.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        project.close();
        store.close();
    }
}

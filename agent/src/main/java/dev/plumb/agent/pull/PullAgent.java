package dev.plumb.agent.pull;

import dev.plumb.agent.CatalogReader;
import dev.plumb.agent.LocalRun;
import dev.plumb.agent.RunRefusedException;
import dev.plumb.catalog.Json;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.RunReport;
import dev.plumb.checks.Durations;
import dev.plumb.engine.Engine;
import dev.plumb.facts.FactRequest;
import dev.plumb.facts.Facts;
import dev.plumb.system.FileErrors;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import tools.jackson.core.JacksonException;

/**
 * An enrolled host's agent. Each round it sends the reports still in its spool, posts its facts for its catalog,
 * applies the catalog as every local run does ({@link LocalRun}: the host's run lock, pending refreshes, checks,
 * {@code STATE/reports}), writes the report to the spool and posts it. A round that gets no catalog (the server
 * down, no good commit yet, the catalog does not compile for this host) changes nothing and says why in one line;
 * the next round tries again.
 *
 * <pre>{@code
 * PullAgent agent = new PullAgent(stateDirectory, null, new AgentLog(err, Clock.systemUTC()));
 * int exitCode = agent.runOnce();   // as plumb-agent run --once
 * }</pre>
 */
public final class PullAgent {

    /** A catalog may hold many files' contents; larger than this is not one a host should take. */
    static final long CATALOG_LIMIT = 64 * Sizes.MIB;
    /** The exit code of a round that applied no catalog. */
    public static final int NOTHING_APPLIED = 1;

    private final Path stateDirectory;
    private final URI server;
    private final AgentLog log;
    private final AgentFiles files;
    private final Spool spool;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile LocalRun running;
    private volatile ServerClient talking;

    /**
     * The agent of the host enrolled in {@code stateDirectory}, talking to {@code server}, or when that is null to the
     * server it enrolled with (the same CA must have signed both's certificates).
     */
    public PullAgent(Path stateDirectory, URI server, AgentLog log) {
        this.stateDirectory = stateDirectory;
        this.server = server;
        this.log = log;
        this.files = AgentFiles.in(stateDirectory);
        this.spool = new Spool(files.spool(), Spool.LIMIT, log);
    }

    /**
     * Runs rounds until {@link #stop}: one now, then one every {@code interval} plus a random part of {@code splay},
     * so that a fleet started together does not ask the server all at once. Returns 0 when stopped.
     */
    public int runEvery(Duration interval, Duration splay, RandomGenerator random) {
        log.event("started: a run every " + describe(interval) + " (+ up to " + describe(splay) + " splay), state in "
                + stateDirectory);
        while (!stopping) {
            runOnce();
            Duration pause = interval.plusMillis(random.nextLong(splay.toMillis() + 1));
            try {
                if (stopped.await(pause.toMillis(), TimeUnit.MILLISECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        log.event("stopped");
        return 0;
    }

    /** {@code 30 min}, or {@code 90 s} when not whole minutes. */
    private static String describe(Duration duration) {
        return duration.toSeconds() % 60 == 0 ? duration.toMinutes() + " min" : Durations.format(duration);
    }

    /**
     * Stops the agent from another thread (a signal): the run in progress stops in order and keeps its report in
     * the spool, an exchange with the server in progress ends, and no round starts any more.
     */
    public void stop() {
        stopping = true;
        stopped.countDown();
        LocalRun run = running;
        if (run != null) {
            run.interrupt();
        }
        ServerClient client = talking;
        if (client != null) {
            client.abort();
        }
    }

    /**
     * One round. Returns the run's exit code (0 nothing to do, 2 changes, 4 failures, 6 both) whether or not the
     * server has its report yet, or {@link #NOTHING_APPLIED} when no catalog was applied.
     */
    public int runOnce() {
        AgentFiles.Enrolled enrolled;
        try {
            enrolled = files.enrolled();
        } catch (PullException e) {
            log.event(e.getMessage());
            return NOTHING_APPLIED;
        }
        ServerClient client = ServerClient.trusting(server != null ? server : enrolled.server(), enrolled.ca(),
                enrolled.credential());
        talking = client;
        if (stopping) {
            client.abort();
        }
        try {
            Delivery earlier = deliver(client, enrolled);
            if (earlier.refused()) {
                return NOTHING_APPLIED;
            }
            if (earlier.sent() > 0) {
                log.event("sent " + earlier.sent() + " spooled report(s) to the server");
            }
            FactRequest asked = factRequest(client, enrolled);
            if (asked == null) {
                return NOTHING_APPLIED;
            }
            Map<String, Object> facts = Facts.ofThisHost(asked);
            Engine.Prepared catalog = catalog(client, enrolled, facts);
            return catalog == null ? NOTHING_APPLIED : applyAndReport(client, enrolled, catalog, facts);
        } finally {
            talking = null;
        }
    }

    /**
     * What the served project asks of this host's facts besides those every host reports (its own command facts,
     * installed packages); null, said in the log, when the server cannot say: the round then ends, since facts
     * gathered without it would not compile the project's catalog.
     */
    private FactRequest factRequest(ServerClient client, AgentFiles.Enrolled enrolled) {
        String path = "/api/v1/hosts/" + enrolled.host() + "/fact-request";
        ServerClient.Response answer;
        try {
            answer = client.get(path, Enrollment.ANSWER_LIMIT);
        } catch (IOException e) {
            log.event("no catalog this round: " + e.getMessage() + "; the host stays as it is, next round tries again");
            return null;
        }
        if (answer.status() == 401 || answer.status() == 403) {
            logRefused(client, enrolled, answer);
            return null;
        }
        if (answer.status() == 503) {
            log.event("the server has no catalog yet (" + answer.error() + "); the host stays as it is, next round tries again");
            return null;
        }
        if (!answer.ok()) {
            log.event("no catalog this round: GET " + client.url(path) + " answered " + answer.error()
                    + "; the host stays as it is, next round tries again");
            return null;
        }
        try {
            return Json.MAPPER.readValue(answer.body(), FactRequest.class);
        } catch (JacksonException e) {
            log.event("no catalog this round: GET " + client.url(path) + " answered what is no fact request ("
                    + e.getOriginalMessage() + "); the host stays as it is, next round tries again");
            return null;
        }
    }

    /** The host's catalog for {@code facts}, or null (said in the log) when the server has none to give. */
    private Engine.Prepared catalog(ServerClient client, AgentFiles.Enrolled enrolled, Map<String, Object> facts) {
        String path = "/api/v1/hosts/" + enrolled.host() + "/catalog";
        ServerClient.Response answer;
        try {
            answer = client.post(path, Json.MAPPER.writeValueAsBytes(facts), CATALOG_LIMIT);
        } catch (IOException e) {
            log.event("no catalog this round: " + e.getMessage() + "; the host stays as it is, next round tries again");
            return null;
        }
        switch (answer.status()) {
            case 200 -> {
                return prepare(answer.body(), client.url(path), enrolled.host());
            }
            case 401, 403 -> logRefused(client, enrolled, answer);
            case 422 -> log.event("the server cannot compile " + enrolled.host() + "'s catalog (" + answer.error()
                    + "); the host stays as it is, next round tries again");
            case 503 -> log.event("the server has no catalog yet (" + answer.error()
                    + "); the host stays as it is, next round tries again");
            default -> log.event("no catalog this round: POST " + client.url(path) + " answered " + answer.error()
                    + "; the host stays as it is, next round tries again");
        }
        return null;
    }

    /** The catalog the server sent, checked as any catalog is, and refused when it is for another host. */
    private Engine.Prepared prepare(byte[] json, String url, String host) {
        try {
            Engine.Prepared catalog = CatalogReader.prepare(json, "the catalog from " + url);
            String named = catalog.catalog().host().name();
            if (!named.equals(host)) {
                log.event("the catalog from " + url + " is for host '" + named + "', not " + host + "; not applied");
                return null;
            }
            return catalog;
        } catch (RunRefusedException e) {
            log.event(e.getMessage());
            return null;
        }
    }

    /** Applies the catalog, keeps the report in the spool and posts it; returns the run's exit code. */
    private int applyAndReport(ServerClient client, AgentFiles.Enrolled enrolled, Engine.Prepared catalog,
                               Map<String, Object> facts) {
        RunReport report;
        try (LocalRun run = LocalRun.open(stateDirectory, facts, Mode.APPLY, LocalRun.DEFAULT_LOCK_WAIT)) {
            running = run;
            if (stopping) {
                run.interrupt();
            }
            report = run.run(catalog, true);
        } catch (RunRefusedException e) {
            log.event("not applied: " + e.getMessage());
            return NOTHING_APPLIED;
        } catch (IOException e) {
            log.event("applied, but the report could not be kept in " + stateDirectory + ": " + FileErrors.describe(e));
            return NOTHING_APPLIED;
        } finally {
            running = null;
        }
        String delivery;
        try {
            Path spooled = spool.add(UUID.fromString(report.runId()).toString(), Json.MAPPER.writeValueAsBytes(report));
            Delivery now = deliver(client, enrolled);
            delivery = !Files.exists(spooled) ? "report sent"
                    : "report kept in the spool for the next round" + (now.failure() == null ? "" : ": " + now.failure());
        } catch (IOException e) {
            delivery = "the report could not be spooled (" + FileErrors.describe(e) + "); it is only in "
                    + stateDirectory.resolve("reports");
        }
        log.event(summary(report) + "; " + delivery);
        return report.exitCode();
    }

    /** {@code applied commit 3f2a9c1 (run 7c0e...): 12 resources, 2 changed, 0 failed, 0 skipped, 0 checks failed}. */
    private static String summary(RunReport report) {
        RunReport.Summary counts = report.summary();
        String commit = report.source() == null ? "a catalog without a commit" : "commit " + report.source().commit();
        return report.host() + ": applied " + commit + " (run " + report.runId() + "): " + counts.resources()
                + " resources, " + counts.changed() + " changed, " + counts.failed() + " failed, " + counts.skipped()
                + " skipped, " + report.failedChecks() + " checks failed" + (report.error() == null ? "" : ": " + report.error());
    }

    /** How sending the spool went: how many reports the server took, and why it stopped early, if it did. */
    private record Delivery(int sent, String failure, boolean refused) {
    }

    /**
     * Posts the spooled reports, oldest first, removing each the server accepts. A report refused for good (a 4xx
     * other than 401, 403, 413) moves to {@code rejected/}; one too large for the server stays; the server down or
     * failing ends the sending until the next round, and a refused credential ends the round.
     */
    private Delivery deliver(ServerClient client, AgentFiles.Enrolled enrolled) {
        String path = "/api/v1/hosts/" + enrolled.host() + "/reports";
        int sent = 0;
        try {
            for (Path report : spool.waiting()) {
                ServerClient.Response answer;
                try {
                    answer = client.post(path, Files.readAllBytes(report), Enrollment.ANSWER_LIMIT);
                } catch (IOException e) {
                    return new Delivery(sent, e.getMessage(), false);
                }
                int status = answer.status();
                if (answer.ok()) {
                    spool.remove(report);
                    sent++;
                } else if (status == 401 || status == 403) {
                    logRefused(client, enrolled, answer);
                    return new Delivery(sent, "credential refused", true);
                } else if (status == 413) {
                    log.event("report " + report.getFileName() + " is larger than the server accepts (413); it stays in "
                            + "the spool");
                } else if (status >= 400 && status < 500) {
                    Path rejected = spool.reject(report);
                    log.event("the server rejected report " + report.getFileName() + " (" + answer.error()
                            + "); moved to " + rejected);
                } else {
                    return new Delivery(sent, "POST " + client.url(path) + " answered " + answer.error(), false);
                }
            }
        } catch (IOException e) {
            return new Delivery(sent, "cannot read the spool " + files.spool() + ": " + FileErrors.describe(e), false);
        }
        return new Delivery(sent, null, false);
    }

    private void logRefused(ServerClient client, AgentFiles.Enrolled enrolled, ServerClient.Response answer) {
        log.event(enrolled.host() + ": credential refused: enroll again (the server answered " + answer.error()
                + "; get a token with plumb server enroll " + enrolled.host() + ", then run plumb-agent enroll --server "
                + client.url("") + " --host " + enrolled.host() + " --token TOKEN)");
    }
}

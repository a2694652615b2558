package dev.plumb.server;

import dev.plumb.api.Diagnostic;
import dev.plumb.catalog.Json;
import dev.plumb.catalog.ProjectSource;
import dev.plumb.compiler.CompileException;
import dev.plumb.compiler.Compiler;
import dev.plumb.compiler.Project;
import dev.plumb.compiler.ProjectLoader;
import dev.plumb.facts.FactRequest;
import dev.plumb.server.git.GitMirror;
import dev.plumb.server.store.FleetStore;
import dev.plumb.server.store.HostDetail;
import dev.plumb.system.Hashing;
import dev.plumb.system.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;

/**
 * The project as the server serves it: the newest commit of the followed branch that validated, and each host's
 * catalog compiled at that commit from the facts the host sent, cached per (commit, host, facts). A new commit is
 * served only once the project loads and compiles for every host whose facts are known; a broken one is recorded
 * with its errors (file:line:col) and hosts keep the last good commit.
 */
public final class ServedProject implements AutoCloseable {

    /** Catalogs kept compiled: a fleet of this many hosts, or fewer hosts with several sets of facts each. */
    private static final int CACHED_CATALOGS = 20_000;

    /** What a host asking for its catalog gets. */
    public sealed interface Answer {
    }

    /** The catalog, as JSON, compiled at {@code commit}. */
    public record Compiled(byte[] json, String commit) implements Answer {
    }

    /** The host's catalog does not compile at the served commit with its facts: every problem, one a line. */
    public record DoesNotCompile(String problems) implements Answer {
    }

    /** No commit has validated yet. */
    public record NoCommit() implements Answer {
    }

    /** The facts sent are not a JSON object. */
    public record BadFacts(String reason) implements Answer {
    }

    private record Served(String commit, Compiler compiler) {
    }

    private final GitMirror mirror;
    private final Path exports;
    private final FleetStore store;
    private final Clock clock;
    private final Consumer<String> log;
    private volatile Served served;
    /** The last commit validated, served or not: it is not validated again at every fetch. */
    private String lastValidated;
    /** Each host's latest facts this server saw, by sha256, so that a new commit is validated with them. */
    private final Map<String, byte[]> factsByHost = new ConcurrentHashMap<>();
    private final Map<String, String> factsHashByHost = new ConcurrentHashMap<>();
    private final Map<String, Answer> catalogs = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Answer> eldest) {
            return size() > CACHED_CATALOGS;
        }
    });

    /**
     * Follows {@code mirror}, exporting commits under {@code exports} (emptied first: what a server that stopped left
     * there is exported again).
     */
    public ServedProject(GitMirror mirror, Path exports, FleetStore store, Clock clock, Consumer<String> log)
            throws IOException {
        this.mirror = mirror;
        this.exports = exports;
        this.store = store;
        this.clock = clock;
        this.log = log;
        GitMirror.remove(exports);
        PrivateFiles.directory(exports);
    }

    /** The commit served now, or null before any validated. */
    public String servedCommit() {
        Served current = served;
        return current == null ? null : current.commit();
    }

    /**
     * Fetches the branch; when its newest commit is new, validates it and serves it if valid. Runs on the server's
     * one git thread; a fetch that fails is logged and changes nothing.
     */
    public synchronized void update() {
        String commit;
        try {
            commit = mirror.fetch();
        } catch (IOException e) {
            log.accept("git: " + e.getMessage() + "; still serving " + describe(servedCommit()));
            return;
        }
        if (commit.equals(lastValidated)) {
            return;
        }
        Path directory = exports.resolve(commit);
        try {
            GitMirror.remove(directory);
            mirror.export(commit, directory);
        } catch (IOException e) {
            log.accept("git: cannot export commit " + commit + ": " + e.getMessage());
            return;
        }
        Compiler compiler = null;
        String problems = null;
        try {
            compiler = validated(directory);
        } catch (CompileException e) {
            problems = problems(e, directory);
        }
        store.recordCommit(commit, clock.instant(), problems == null, problems);
        // Only now: a commit not recorded (the store was down) is validated again at the next fetch.
        lastValidated = commit;
        if (problems != null) {
            log.accept("commit " + commit + " is invalid and not served; still serving " + describe(servedCommit())
                    + ":\n" + problems);
            removeQuietly(directory);
            return;
        }
        Served previous = served;
        served = new Served(commit, compiler);
        log.accept("commit " + commit + " is served");
        if (previous != null) {
            removeQuietly(exports.resolve(previous.commit()));
        }
    }

    /**
     * The facts the served commit's project asks of hosts (its own command facts, installed packages), which an agent
     * gathers before it asks for its catalog; null before any commit is served.
     */
    public FactRequest factRequest() {
        Served current = served;
        return current == null ? null : current.compiler().project().facts().request();
    }

    /**
     * The compiler of the project in {@code directory}, once it loaded and compiled for every host of its inventory
     * whose known facts answer what it asks of them (a commit that adds a fact cannot be held to facts gathered before
     * it, nor to a fact that failed on one host); or every problem that stops it from being served.
     */
    private Compiler validated(Path directory) throws CompileException {
        Compiler compiler = new Compiler(ProjectLoader.load(directory));
        FactRequest asked = compiler.project().facts().request();
        for (Project.Host host : compiler.project().hosts().values()) {
            Map<String, Object> facts = knownFacts(host.name());
            if (facts != null && asked.answeredBy(facts)) {
                compiler.compile(host.name(), Map.of(), facts);
            }
        }
        return compiler;
    }

    /** The facts this server last saw from {@code host}, else the store's, else null. */
    private Map<String, Object> knownFacts(String host) {
        byte[] facts = factsByHost.get(host);
        if (facts == null) {
            facts = store.host(host).map(HostDetail::facts).map(json -> json.getBytes(StandardCharsets.UTF_8)).orElse(null);
        }
        try {
            return facts == null ? null : parseFacts(facts);
        } catch (JacksonException | ClassCastException e) {
            return null; // facts that no longer read cannot be held against a commit
        }
    }

    /** The catalog of {@code host} at the served commit, compiled from {@code factsJson}, or why there is none. */
    public Answer catalog(String host, byte[] factsJson) {
        Served current = served;
        if (current == null) {
            return new NoCommit();
        }
        String factsHash = Hashing.sha256(factsJson);
        String key = current.commit() + "\0" + host + "\0" + factsHash;
        Answer cached = catalogs.get(key);
        if (cached != null) {
            return cached;
        }
        Map<String, Object> facts;
        try {
            facts = parseFacts(factsJson);
        } catch (JacksonException | ClassCastException e) {
            return new BadFacts("the facts are not a JSON object as `plumb-agent facts` prints them");
        }
        // Facts that do not answer what the served project asks (an agent that could not get the request) would drop
        // the host out of the next commit's validation: the host's last good facts stay.
        if (current.compiler().project().facts().request().answeredBy(facts)
                && !factsHash.equals(factsHashByHost.put(host, factsHash))) {
            factsByHost.put(host, factsJson);
            store.recordFacts(host, factsJson);
        }
        Answer answer = compile(current, host, facts);
        catalogs.put(key, answer);
        return answer;
    }

    private Answer compile(Served at, String host, Map<String, Object> facts) {
        try {
            // The compiler renders templates on a thread of its own and is not made for several callers at once.
            synchronized (at.compiler()) {
                var catalog = at.compiler().compile(host, Map.of(), facts).catalog().from(new ProjectSource(at.commit(), false));
                return new Compiled(Json.MAPPER.writeValueAsBytes(catalog), at.commit());
            }
        } catch (CompileException e) {
            return new DoesNotCompile(problems(e, at.compiler().project().directory()));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parseFacts(byte[] json) {
        return (Map<String, Object>) Json.MAPPER.readValue(json, Map.class);
    }

    /** Every problem, one a line, with paths relative to the project, as in the repository. */
    private static String problems(CompileException e, Path directory) {
        String prefix = directory + "/";
        return e.problems().stream().map(Diagnostic::toString).map(line -> line.replace(prefix, ""))
                .collect(Collectors.joining("\n"));
    }

    private static String describe(String commit) {
        return commit == null ? "no commit (none has validated yet)" : "commit " + commit;
    }

    private void removeQuietly(Path directory) {
        try {
            GitMirror.remove(directory);
        } catch (IOException e) {
            log.accept("cannot remove " + directory + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        mirror.close();
    }
}

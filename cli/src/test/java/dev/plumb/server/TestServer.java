package dev.plumb.server;

import dev.plumb.server.store.StoreConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A real plumb server on loopback, on a free port, with its state in a test's directory. */
public final class TestServer implements AutoCloseable {

    public final PlumbServer server;
    public final Path state;
    public final URI url;
    final Queue<String> log;

    private TestServer(PlumbServer server, Path state, Queue<String> log) {
        this.server = server;
        this.state = state;
        this.log = log;
        this.url = URI.create("https://localhost:" + server.port());
    }

    /** A server with the embedded H2 store, following main of {@code repo}, fetching only when told to. */
    public static TestServer start(Path state, Path repo) throws Exception {
        return start(state, repo, StoreConfig.embedded(state), 0);
    }

    static TestServer start(Path state, Path repo, StoreConfig store, int port) throws Exception {
        Queue<String> log = new ConcurrentLinkedQueue<>();
        PlumbServer server = PlumbServer.start(new PlumbServer.Options(state, "127.0.0.1", port, List.of(), null, null,
                repo.toString(), "main", Duration.ofHours(1), store, Duration.ofDays(90), Duration.ofMinutes(30)),
                Clock.systemUTC(), log::add);
        return new TestServer(server, state, log);
    }

    public Path caPem() {
        return PlumbServer.directory(state).resolve("tls/ca.pem");
    }

    String adminToken() throws IOException {
        return AdminToken.read(PlumbServer.directory(state).resolve(AdminToken.FILE));
    }

    /** A client with the admin token. */
    public ServerClient admin() throws IOException {
        return as(adminToken());
    }

    /** A client presenting {@code credential}. */
    ServerClient as(String credential) throws IOException {
        return ServerClient.of(url, credential, caPem());
    }

    @Override
    public void close() {
        server.close();
    }
}

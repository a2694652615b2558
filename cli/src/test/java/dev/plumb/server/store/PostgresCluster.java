package dev.plumb.server.store;

import dev.plumb.Root;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL server of this machine's Debian package, for tests: its own cluster in a temporary directory
 * ({@code initdb}), run by an unprivileged user ({@code nobody} when the tests run as root), listening on 127.0.0.1 on
 * a free port with its socket in that directory, and password authentication. {@link #close()} stops it and removes
 * the directory; a guard process does the same if this JVM dies first, even by SIGKILL.
 */
public final class PostgresCluster implements AutoCloseable {

    public static final String USER = "plumb";
    public static final String PASSWORD = "plumb-test-password";
    /** How long starting or stopping may take before the test fails, on a machine busy with other builds. */
    private static final int TIMEOUT_SECONDS = 60;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path directory;
    private final Path bin;
    private final int port;
    private final Process guard;

    private PostgresCluster(Path directory, Path bin, int port, Process guard) {
        this.directory = directory;
        this.bin = bin;
        this.port = port;
        this.guard = guard;
    }

    /** Starts a cluster with PostgreSQL's default settings, durable commits included. */
    public static PostgresCluster start() throws IOException, InterruptedException {
        return start(Map.of());
    }

    /** Starts a cluster with {@code settings} ({@code -c name=value}) on top of the defaults. */
    public static PostgresCluster start(Map<String, String> settings) throws IOException, InterruptedException {
        Path bin = installedBin();
        Path directory = Files.createTempDirectory("plumb-pg-");
        Process guard = null;
        try {
            chownToServerUser(directory);
            guard = guard(directory, bin);
            Path passwordFile = directory.resolve("password");
            Files.writeString(passwordFile, PASSWORD);
            chownToServerUser(passwordFile);
            run(directory, asServerUser(bin.resolve("initdb").toString(), "-D", directory.resolve("data").toString(),
                    "-U", USER, "--pwfile=" + passwordFile, "--auth-local=trust", "--auth-host=scram-sha-256",
                    "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"));
            int port = freePort();
            List<String> options = new ArrayList<>(List.of("-c listen_addresses=127.0.0.1", "-p " + port,
                    "-c unix_socket_directories=" + directory));
            settings.forEach((name, value) -> options.add("-c " + name + "=" + value));
            run(directory, asServerUser(bin.resolve("pg_ctl").toString(), "-D", directory.resolve("data").toString(),
                    "-l", directory.resolve("server.log").toString(), "-w", "-t", String.valueOf(TIMEOUT_SECONDS),
                    "-o", String.join(" ", options), "start"));
            return new PostgresCluster(directory, bin, port, guard);
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            stopAndRemove(directory, bin);
            if (guard != null) {
                guard.destroy();
            }
            throw e;
        }
    }

    /** A new empty database in this cluster, as the JDBC URL the store takes (with {@link #USER}/{@link #PASSWORD}). */
    public String createDatabase() throws SQLException {
        String name = "plumb_" + DATABASES.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USER, PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return jdbcUrl(name);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** The store configuration of {@code jdbcUrl}, as the server makes it from {@code --db}. */
    public StoreConfig config(String jdbcUrl, Path stateDir) {
        return new StoreConfig(jdbcUrl, USER, PASSWORD, stateDir);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            stopAndRemove(directory, bin);
        } finally {
            // The guard's shell first, so that it does not go on to stop and remove once its tail ends.
            List<ProcessHandle> waiting = guard.descendants().toList();
            guard.destroy();
            waiting.forEach(ProcessHandle::destroy);
        }
    }

    /**
     * Skips the calling test where PostgreSQL is not installed, naming the package; where
     * {@code PLUMB_TESTS_REQUIRE_ROOT=1} (CI, which installs it), fails instead.
     */
    private static Path installedBin() {
        Optional<Path> bin = newestInstalledBin();
        if (bin.isEmpty()) {
            String reason = "PostgreSQL is not installed (apt-get install postgresql): no /usr/lib/postgresql/*/bin/initdb";
            if (Root.required()) {
                throw new AssertionError(reason + ". PLUMB_TESTS_REQUIRE_ROOT=1 forbids skipping the tests that need it");
            }
            Assumptions.abort(reason);
        }
        return bin.get();
    }

    private static Optional<Path> newestInstalledBin() {
        Path versions = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(versions)) {
            return Optional.empty();
        }
        try (Stream<Path> children = Files.list(versions)) {
            return children.map(version -> version.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("initdb")))
                    .max(Comparator.comparing(bin -> versionNumber(bin.getParent())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int versionNumber(Path versionDirectory) {
        String name = versionDirectory.getFileName().toString();
        return name.matches("\\d+") ? Integer.parseInt(name) : 0;
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** PostgreSQL refuses to run as root: as root, the cluster belongs to {@code nobody}. */
    private static List<String> asServerUser(String... command) {
        List<String> full = new ArrayList<>();
        if (root()) {
            full.addAll(List.of("runuser", "-u", "nobody", "--"));
        }
        full.addAll(List.of(command));
        return full;
    }

    private static void chownToServerUser(Path path) throws IOException, InterruptedException {
        if (root()) {
            run(path.getParent(), List.of("chown", "nobody:nogroup", path.toString()));
        }
    }

    /**
     * A process in its own session that waits for this JVM to end, however it ends, then stops the cluster and
     * removes its directory; {@link #close()} does that itself and ends the guard.
     */
    private static Process guard(Path directory, Path bin) throws IOException {
        String stop = String.join(" ", asServerUser(bin.resolve("pg_ctl").toString(), "-D",
                directory.resolve("data").toString(), "-m", "immediate", "stop"));
        return new ProcessBuilder("setsid", "sh", "-c", "tail --pid=" + ProcessHandle.current().pid()
                + " -f /dev/null; " + stop + "; rm -rf '" + directory + "'")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static void stopAndRemove(Path directory, Path bin) throws IOException, InterruptedException {
        try {
            if (Files.exists(directory.resolve("data").resolve("postmaster.pid"))) {
                run(directory, asServerUser(bin.resolve("pg_ctl").toString(), "-D", directory.resolve("data").toString(),
                        "-m", "immediate", "-w", "-t", String.valueOf(TIMEOUT_SECONDS), "stop"));
            }
        } finally {
            run(directory.getParent(), List.of("rm", "-rf", directory.toString()));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Runs {@code command} to its end, within the bound; its output and the server log make the failure message. */
    private static void run(Path directory, List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("plumb-pg-command", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            if (!process.waitFor(TIMEOUT_SECONDS + 10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + (TIMEOUT_SECONDS + 10)
                        + " s" + evidence(output, directory));
            }
            if (process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " exited " + process.exitValue()
                        + evidence(output, directory));
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static String evidence(Path output, Path directory) throws IOException {
        Path log = directory.resolve("server.log");
        return ":\n" + Files.readString(output, StandardCharsets.UTF_8)
                + (Files.exists(log) ? "server log:\n" + Files.readString(log, StandardCharsets.UTF_8) : "");
    }
}

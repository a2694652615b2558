package dev.plumb.agent.pull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.plumb.catalog.Json;
import dev.plumb.system.Hashing;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A plumb server's API as the agent sees it (issue 9's contract), on loopback HTTPS with a CA and a certificate for
 * 127.0.0.1 that {@code keytool} made for the test: the CA, enrolment with one-time tokens, catalogs for the host's
 * credential only, and reports stored once per run id. What it answers can be set, to play a server that is failing.
 */
final class ServerStub implements AutoCloseable {

    private static final char[] PASSWORD = "plumb-test".toCharArray();

    private final HttpsServer server;
    private final byte[] caPem;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final Map<String, String> credentials = new ConcurrentHashMap<>();
    /** Every report posted, in order, duplicates included. */
    final List<Map<?, ?>> posted = new CopyOnWriteArrayList<>();
    /** The run ids stored, each once. */
    final List<String> stored = new CopyOnWriteArrayList<>();
    volatile byte[] catalog;
    /** The status of catalog requests, with {@code {"error": catalogError}} when not 200. */
    volatile int catalogStatus = 200;
    volatile String catalogError = "";
    /** When set, catalogs are answered with a body this long: to try the agent's limit. */
    volatile long catalogBodyLength = -1;
    volatile boolean catalogLengthDeclared = true;
    volatile int reportStatus = 200;

    private ServerStub(HttpsServer server, byte[] caPem) {
        this.server = server;
        this.caPem = caPem;
    }

    /** The keys and certificates {@code keytool} makes in {@code directory}: a CA, and a server certificate it signed. */
    static void makeKeys(Path directory) throws IOException, InterruptedException {
        String store = directory.resolve("server.p12").toString();
        String caStore = directory.resolve("ca.p12").toString();
        keytool(directory, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-dname", "CN=plumb test CA", "-ext", "bc:c",
                "-validity", "2", "-keystore", caStore);
        keytool(directory, "-exportcert", "-rfc", "-alias", "ca", "-keystore", caStore, "-file", "ca.pem");
        keytool(directory, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-dname", "CN=127.0.0.1", "-validity", "2",
                "-keystore", store);
        keytool(directory, "-certreq", "-alias", "server", "-keystore", store, "-file", "server.csr");
        keytool(directory, "-gencert", "-rfc", "-alias", "ca", "-keystore", caStore, "-infile", "server.csr",
                "-outfile", "server.pem", "-ext", "san=ip:127.0.0.1", "-ext", "eku=serverAuth", "-validity", "2");
        keytool(directory, "-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", store);
        keytool(directory, "-importcert", "-alias", "server", "-file", "server.pem", "-keystore", store);
    }

    private static void keytool(Path directory, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(arguments));
        command.addAll(List.of("-storepass", new String(PASSWORD), "-storetype", "PKCS12"));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", arguments) + " failed: " + output);
        }
    }

    /** Starts a server on a free loopback port with the keys {@link #makeKeys} made in {@code keys}. */
    static ServerStub start(Path keys) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keys.resolve("server.p12"))) {
            store.load(in, PASSWORD);
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, PASSWORD);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        ServerStub stub = new ServerStub(server, Files.readAllBytes(keys.resolve("ca.pem")));
        server.createContext("/", stub::handle);
        server.start();
        return stub;
    }

    URI url() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The sha256 of the CA certificate's DER, as a token ends with it. */
    String caFingerprint() throws Exception {
        return Hashing.sha256(CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(caPem)).getEncoded());
    }

    /** A one-time token for {@code host}, as {@code plumb server enroll HOST} prints it. */
    String token(String host) throws Exception {
        String secret = random();
        tokens.put(secret, host);
        return secret + "." + caFingerprint();
    }

    /** The credential {@code host} enrolled with, if it did. */
    String credentialOf(String host) {
        return credentials.entrySet().stream().filter(e -> e.getValue().equals(host)).map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }

    void revoke(String host) {
        credentials.values().remove(host);
    }

    private static String random() {
        byte[] bytes = new byte[32];
        ThreadLocalRandom.current().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            byte[] body = "gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                    ? new GZIPInputStream(exchange.getRequestBody()).readAllBytes()
                    : exchange.getRequestBody().readAllBytes();
            if (path.equals("/api/v1/ca")) {
                exchange.getResponseHeaders().set("Content-Type", "application/x-pem-file");
                answer(exchange, 200, caPem);
            } else if (path.equals("/api/v1/enroll")) {
                enroll(exchange, Json.MAPPER.readValue(body, Map.class));
            } else if (path.matches("/api/v1/hosts/[^/]+/(fact-request|catalog|reports)")) {
                String host = path.split("/")[4];
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                String holder = auth == null ? null : credentials.get(auth.replaceFirst("^Bearer ", ""));
                if (holder == null) {
                    json(exchange, 401, Map.of("error", "unauthorized"));
                } else if (!holder.equals(host)) {
                    json(exchange, 403, Map.of("error", "forbidden"));
                } else if (path.endsWith("/fact-request")) {
                    json(exchange, 200, Map.of("commands", List.of(), "packages", false));
                } else if (path.endsWith("/catalog")) {
                    catalog(exchange);
                } else {
                    report(exchange, Json.MAPPER.readValue(body, Map.class));
                }
            } else {
                json(exchange, 404, Map.of("error", "not found"));
            }
        }
    }

    private void enroll(HttpExchange exchange, Map<?, ?> request) throws IOException {
        String token = String.valueOf(request.get("token"));
        String secret = token.contains(".") ? token.substring(0, token.indexOf('.')) : token;
        String host = String.valueOf(request.get("host"));
        if (!host.equals(tokens.remove(secret))) {
            json(exchange, 401, Map.of("error", "unauthorized"));
            return;
        }
        credentials.values().remove(host);
        String credential = random();
        credentials.put(credential, host);
        json(exchange, 200, Map.of("host", host, "credential", credential));
    }

    private void catalog(HttpExchange exchange) throws IOException {
        if (catalogStatus != 200) {
            json(exchange, catalogStatus, Map.of("error", catalogError));
        } else if (catalogBodyLength >= 0) {
            exchange.sendResponseHeaders(200, catalogLengthDeclared ? catalogBodyLength : 0);
            byte[] chunk = new byte[1024 * 1024];
            try (OutputStream out = exchange.getResponseBody()) {
                for (long sent = 0; sent < catalogBodyLength; sent += chunk.length) {
                    out.write(chunk, 0, (int) Math.min(chunk.length, catalogBodyLength - sent));
                }
            } catch (IOException agentHungUp) {
                // What the test expects of an agent given too much.
            }
        } else {
            answer(exchange, 200, catalog);
        }
    }

    private void report(HttpExchange exchange, Map<?, ?> report) throws IOException {
        posted.add(report);
        if (reportStatus != 200) {
            json(exchange, reportStatus, Map.of("error", "report status set by the test"));
            return;
        }
        String runId = String.valueOf(report.get("runId"));
        boolean duplicate;
        synchronized (this) {
            duplicate = stored.contains(runId);
            if (!duplicate) {
                stored.add(runId);
                notifyAll();
            }
        }
        json(exchange, 200, Map.of("runId", runId, "duplicate", duplicate));
    }

    /** Waits up to {@code bound} for a report to be stored; whether one was. */
    synchronized boolean awaitReport(Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (stored.isEmpty() && System.nanoTime() < deadline) {
            TimeUnit.NANOSECONDS.timedWait(this, deadline - System.nanoTime());
        }
        return !stored.isEmpty();
    }

    private static void json(HttpExchange exchange, int status, Map<String, ?> body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        answer(exchange, status, Json.MAPPER.writeValueAsBytes(body));
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package dev.plumb.server;

import dev.plumb.catalog.Json;
import dev.plumb.system.Gzip;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import tools.jackson.core.JacksonException;

/**
 * The admin's side of the API, for {@code plumb server enroll}, {@code revoke}, {@code plumb status} and
 * {@code plumb apply --server}: HTTPS trusting the server's CA (or the JDK's CAs when none is given), with a bearer
 * credential.
 */
public final class ServerClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** An answer: its status and its body. */
    public record Response(int status, byte[] body) {

        public boolean ok() {
            return status / 100 == 2;
        }

        /** The {@code error} of a JSON error body, else the status alone. */
        public String error() {
            try {
                if (Json.MAPPER.readValue(body, Map.class).get("error") instanceof String error) {
                    return error;
                }
            } catch (JacksonException e) {
                // not the server's JSON: a proxy's page, say
            }
            return "HTTP " + status;
        }
    }

    private final HttpClient http;
    private final URI server;
    private final String credential;

    private ServerClient(HttpClient http, URI server, String credential) {
        this.http = http;
        this.server = server;
        this.credential = credential;
    }

    /** A client of {@code server} that trusts the CA in {@code caPem}, or the JDK's CAs when it is null. */
    public static ServerClient of(URI server, String credential, Path caPem) throws IOException {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(TIMEOUT);
        if (caPem != null) {
            builder.sslContext(trusting(caPem));
        }
        return new ServerClient(builder.build(), server, credential);
    }

    private static SSLContext trusting(Path caPem) throws IOException {
        try (InputStream in = Files.newInputStream(caPem)) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int index = 0;
            for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("ca" + index++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException(caPem + ": not a PEM certificate: " + e.getMessage(), e);
        }
    }

    public Response get(String path) throws IOException {
        return send(request(path).GET());
    }

    public Response post(String path, byte[] json) throws IOException {
        return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(json)));
    }

    /** Posts JSON gzip-compressed, as agents post their reports: about a tenth of the bytes. */
    public Response postCompressed(String path, byte[] json) throws IOException {
        return send(request(path).header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Gzip.compress(json))));
    }

    public Response delete(String path) throws IOException {
        return send(request(path).DELETE());
    }

    private HttpRequest.Builder request(String path) {
        // Appended, not resolved: a server behind a proxy at https://host/plumb keeps its /plumb.
        String base = server.toString().replaceFirst("/+$", "");
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT).header("Authorization", "Bearer " + credential);
    }

    private Response send(HttpRequest.Builder request) throws IOException {
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}

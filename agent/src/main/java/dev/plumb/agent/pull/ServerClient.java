package dev.plumb.agent.pull;

import dev.plumb.catalog.Json;
import dev.plumb.checks.TrustingTls;
import dev.plumb.system.Gzip;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import tools.jackson.core.JacksonException;

/**
 * The agent's side of the server's HTTP API: JSON over HTTPS, every exchange bounded in time (10 s to connect, 60 s
 * for the whole response) and in size, failures described in one phrase. {@link #abort} ends the exchange in
 * progress from another thread, for an agent told to stop.
 */
final class ServerClient {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final URI server;
    private final HttpClient client;
    /** The host's credential, sent as a bearer token; null before enrolling. */
    private final String credential;
    private volatile CompletableFuture<?> inFlight;
    private volatile boolean aborted;

    private ServerClient(URI server, SSLContext tls, String credential) {
        this.server = server;
        this.client = HttpClient.newBuilder().sslContext(tls).connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
        this.credential = credential;
    }

    /** A client that accepts any certificate: only to fetch the CA certificate, checked against the token before use. */
    static ServerClient trustingAnyone(URI server) {
        return new ServerClient(server, TrustingTls.newTrustingContext(), null);
    }

    /**
     * A client that trusts certificates {@code ca} signed, and only those, for the server's name as the URL gives it
     * (host name verification stays on), sending {@code credential} when it is not null.
     */
    static ServerClient trusting(URI server, X509Certificate ca, String credential) {
        try {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            anchors.setCertificateEntry("plumb-ca", ca);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(anchors);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, trust.getTrustManagers(), null);
            return new ServerClient(server, tls, credential);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("every Java runtime can trust a CA certificate; this is a bug in plumb", e);
        }
    }

    /** What the server answered: its status and body. */
    record Response(int status, byte[] body) {

        boolean ok() {
            return status == 200;
        }

        /** The status with the server's {@code error} message, as a log line shows it: {@code 503: no commit ...}. */
        String error() {
            String message;
            try {
                Object error = Json.MAPPER.readValue(body, Map.class).get("error");
                message = error == null ? null : error.toString();
            } catch (JacksonException e) {
                message = null;
            }
            return status + (message == null ? "" : ": " + message);
        }
    }

    Response get(String path, long limit) throws IOException {
        return send(request(path).GET(), limit);
    }

    /**
     * Posts {@code json} gzip-compressed: a report shrinks about tenfold, which is as much less to encrypt here and to
     * decrypt on the server, and the server keeps it as it came.
     */
    Response post(String path, byte[] json, long limit) throws IOException {
        return send(request(path).header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Gzip.compress(json))), limit);
    }

    /** Ends the exchange in progress, and refuses later ones: its caller gets an IOException at once. */
    void abort() {
        aborted = true;
        CompletableFuture<?> exchange = inFlight;
        if (exchange != null) {
            exchange.cancel(true);
        }
    }

    /** {@code path} of the server's API, as a URL: the server's own URL may have a path of its own. */
    String url(String path) {
        String base = server.toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json");
        if (credential != null) {
            request.header("Authorization", "Bearer " + credential);
        }
        return request;
    }

    private Response send(HttpRequest.Builder request, long limit) throws IOException {
        HttpRequest built = request.build();
        CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(built, BoundedBody.handler(limit));
        inFlight = exchange;
        try {
            if (aborted) {
                exchange.cancel(true);
            }
            // The request's own timeout ends with the response's headers; this one bounds the body too.
            HttpResponse<byte[]> response = exchange.get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new Response(response.statusCode(), response.body());
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw failure(built, "no response within " + REQUEST_TIMEOUT.toSeconds() + " s", e);
        } catch (CancellationException e) {
            throw failure(built, "stopped", e);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw failure(built, "interrupted", e);
        } catch (ExecutionException e) {
            throw failure(built, describe(e.getCause()), e.getCause());
        } finally {
            inFlight = null;
        }
    }

    private static IOException failure(HttpRequest request, String reason, Throwable cause) {
        return new IOException(request.method() + " " + request.uri() + ": " + reason, cause);
    }

    /** What went wrong in one phrase: the JDK's exceptions often carry no message, or only a class name. */
    static String describe(Throwable error) {
        if (error instanceof HttpConnectTimeoutException) {
            return "no answer within " + CONNECT_TIMEOUT.toSeconds() + " s";
        }
        if (error instanceof HttpTimeoutException) {
            return "no response within " + REQUEST_TIMEOUT.toSeconds() + " s";
        }
        if (error instanceof BoundedBody.TooLargeException) {
            return error.getMessage();
        }
        if (hasCause(error, UnresolvedAddressException.class)) {
            return "name not resolved";
        }
        if (hasCause(error, ConnectException.class)) {
            return "connection refused";
        }
        if (hasCause(error, SSLException.class)) {
            return "TLS failed: " + rootMessage(error);
        }
        return rootMessage(error);
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable error) {
        String message = error.toString();
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null) {
                message = cause.getMessage();
            }
        }
        return message;
    }
}

package dev.plumb.checks;

import dev.plumb.providers.Providers;
import dev.plumb.system.CommandRunner;
import java.net.Socket;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * What checks may use of the host: the command runner (every command goes through it), the providers the
 * resources use, the clock, and what the checks of a run share: HTTP clients and readings of the socket tables.
 */
public final class CheckContext implements AutoCloseable {

    private final CommandRunner commands;
    private final Providers providers;
    private final Clock clock;
    private final Map<String, HttpClient> httpClients = new ConcurrentHashMap<>();
    private final Sockets sockets = Sockets.ofThisHost();

    public CheckContext(CommandRunner commands, Providers providers, Clock clock) {
        this.commands = commands;
        this.providers = providers;
        this.clock = clock;
    }

    public CommandRunner commands() {
        return commands;
    }

    public Providers providers() {
        return providers;
    }

    public Clock clock() {
        return clock;
    }

    /** This host's socket tables, read once for the port checks of one moment. */
    Sockets sockets() {
        return sockets;
    }

    /**
     * An HTTP/1.1 client for checks: certificates and host names verified unless {@code insecure}, which trusts
     * any certificate for the checks that ask for it and only for them. One client per kind serves a whole run,
     * so that checks of one server share its connections.
     */
    HttpClient http(boolean insecure, boolean followRedirects) {
        return httpClients.computeIfAbsent(insecure + "/" + followRedirects, key -> {
            HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(followRedirects ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER);
            if (insecure) {
                builder.sslContext(trustingEveryone());
            }
            return builder.build();
        });
    }

    /**
     * Stops the HTTP clients' threads. A client's selector thread waits in native code, which holds up the JVM's
     * exit by 0.3 s; Java 21 added {@code shutdownNow} to stop it, and on Java 17 the thread simply stays.
     */
    @Override
    public void close() {
        for (HttpClient client : httpClients.values()) {
            try {
                HttpClient.class.getMethod("shutdownNow").invoke(client);
            } catch (ReflectiveOperationException e) {
                // Java 17: no way to stop the client; its daemon threads end with the JVM.
            }
        }
        httpClients.clear();
    }

    /**
     * A TLS context that accepts any certificate for any name. An extended trust manager is needed: a plain one
     * gets wrapped by the JDK, which then checks the host name anyway.
     */
    static SSLContext trustingEveryone() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new X509ExtendedTrustManager[] {new TrustEveryone()}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has TLS; this is a bug in plumb", e);
        }
    }

    /** Accepts every certificate; only for checks that say {@code insecure: true} or that inspect a certificate. */
    private static final class TrustEveryone extends X509ExtendedTrustManager {

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}

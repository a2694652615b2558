package dev.plumb.checks;

import dev.plumb.providers.Providers;
import dev.plumb.system.CommandRunner;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * What checks may use of the host: the command runner (every command goes through it), the providers the
 * resources use, the clock, and what the checks of a run share: readings of the socket tables, a TLS context.
 */
public final class CheckContext {

    private final CommandRunner commands;
    private final Providers providers;
    private final Clock clock;
    private final Sockets sockets = Sockets.ofThisHost();
    private volatile SSLContext trustingEveryone;

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
     * A TLS context that trusts any certificate for any name, for the checks that say {@code insecure: true} and
     * for those that inspect a certificate; made once per run.
     */
    SSLContext trustingEveryone() {
        SSLContext context = trustingEveryone;
        if (context == null) {
            context = newTrustingContext();
            trustingEveryone = context;
        }
        return context;
    }

    /**
     * A TLS context that accepts any certificate for any name. An extended trust manager is needed: a plain one
     * gets wrapped by the JDK, which then checks the host name anyway.
     */
    private static SSLContext newTrustingContext() {
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

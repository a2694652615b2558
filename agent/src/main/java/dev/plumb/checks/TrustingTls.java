package dev.plumb.checks;

import dev.plumb.api.CheckContext;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS context the http and certificate checks share within a run: it accepts any certificate for any name,
 * since those checks report on a certificate rather than trust it; and the context an agent fetches a server's CA
 * certificate with before it trusts it, which it then checks against the fingerprint its enrolment token holds.
 */
public record TrustingTls(SSLContext context) {

    /** The socket factory of the context's trusting TLS, made by the first check of the context that asks. */
    static SSLSocketFactory socketFactory(CheckContext context) {
        return context.shared(TrustingTls.class, () -> new TrustingTls(newTrustingContext())).context()
                .getSocketFactory();
    }

    /**
     * A TLS context that accepts any certificate for any name. An extended trust manager is needed: a plain one
     * gets wrapped by the JDK, which then checks the host name anyway.
     */
    public static SSLContext newTrustingContext() {
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

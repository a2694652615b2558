package dev.plumb.agent.pull;

import dev.plumb.catalog.Json;
import dev.plumb.system.FileErrors;
import dev.plumb.system.Hashing;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;

/**
 * Trades a one-time enrolment token for the host's own credential. The token ends in the sha256 of the server's CA
 * certificate, so the agent can fetch that certificate over TLS it does not yet trust, check it, and from then on
 * trust that CA alone: someone between the agent and the server can neither pose as the server nor learn the
 * credential. Nothing is saved unless the whole exchange succeeds.
 */
public final class Enrollment {

    /** The CA certificate and the enrolment answer are small; anything larger is not a plumb server's. */
    static final long ANSWER_LIMIT = Sizes.MIB;

    private static final Pattern TOKEN = Pattern.compile("([A-Za-z0-9_-]{43})\\.([0-9a-f]{64})");
    private static final Pattern CREDENTIAL = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");

    private Enrollment() {
    }

    /**
     * Enrolls this host as {@code host} with the server at {@code server}, using {@code token} from {@code plumb
     * server enroll HOST}, and saves the CA certificate, the credential and the server's URL in {@code stateDirectory}.
     */
    public static AgentFiles.Enrolled enroll(URI server, String host, String token, Path stateDirectory, Clock clock)
            throws PullException {
        checkServer(server);
        if (!HOST.matcher(host).matches()) {
            throw new PullException("--host '" + host + "' is not a host name: letters, digits, '.', '_' and '-', "
                    + "as the project's inventory names the host");
        }
        Matcher parts = TOKEN.matcher(token.strip());
        if (!parts.matches()) {
            throw new PullException("--token is not a token of plumb server enroll: expected 43 characters, a '.' and "
                    + "the 64 hex digits of the server's CA fingerprint; copy the whole line it printed");
        }
        X509Certificate ca = fetchCa(server, parts.group(2));
        ServerClient trusted = ServerClient.trusting(server, ca, null);
        ServerClient.Response answer;
        try {
            answer = trusted.post("/api/v1/enroll", Json.MAPPER.writeValueAsBytes(Map.of("host", host, "token",
                    token.strip())), ANSWER_LIMIT);
        } catch (IOException e) {
            throw new PullException("cannot enroll with " + server + ": " + e.getMessage() + "; nothing was saved");
        }
        if (answer.status() == 401) {
            throw new PullException(server + " refused the token for " + host + " (401): it is used up, expired (after "
                    + "24 h) or for another host; get a new one with plumb server enroll " + host + "; nothing was saved");
        }
        if (!answer.ok()) {
            throw new PullException(server + " refused to enroll " + host + " (" + answer.error() + "); nothing was saved");
        }
        AgentFiles.Enrolled enrolled = new AgentFiles.Enrolled(server, host, ca, credential(answer, server, host));
        AgentFiles files = AgentFiles.in(stateDirectory);
        try {
            files.save(enrolled, Instant.now(clock).toString());
        } catch (IOException e) {
            throw new PullException("cannot save the enrolment in " + files.directory() + ": " + FileErrors.describe(e));
        }
        return enrolled;
    }

    /** Only HTTPS: the credential and the catalogs, which hold secrets, never travel in the clear. */
    static void checkServer(URI server) throws PullException {
        if (!"https".equals(server.getScheme()) || server.getHost() == null) {
            throw new PullException("--server " + server + " is not an https:// URL (such as "
                    + "https://plumb.example.com:8443): plumb servers speak HTTPS only");
        }
    }

    /**
     * The server's CA certificate, fetched without trusting the connection and accepted only when its sha256 is
     * {@code fingerprint}, from the token.
     */
    private static X509Certificate fetchCa(URI server, String fingerprint) throws PullException {
        ServerClient.Response answer;
        try {
            answer = ServerClient.trustingAnyone(server).get("/api/v1/ca", ANSWER_LIMIT);
        } catch (IOException e) {
            throw new PullException("cannot fetch the CA certificate of " + server + ": " + e.getMessage()
                    + "; nothing was saved");
        }
        if (!answer.ok()) {
            throw new PullException(server + " did not give its CA certificate (" + answer.error()
                    + "); is it a plumb server? Nothing was saved");
        }
        try {
            X509Certificate ca = AgentFiles.certificate(answer.body());
            String actual = Hashing.sha256(ca.getEncoded());
            if (!actual.equals(fingerprint)) {
                throw new PullException("refusing to enroll: the CA certificate " + server + " presents has sha256 "
                        + actual + ", but the token is for a CA with sha256 " + fingerprint + ". The token may be for "
                        + "another server, or someone may be intercepting the connection; nothing was saved");
            }
            return ca;
        } catch (CertificateEncodingException e) {
            throw new PullException(server + " gave a CA certificate that cannot be encoded (" + e.getMessage()
                    + "); nothing was saved");
        } catch (CertificateException e) {
            throw new PullException(server + "/api/v1/ca is not a PEM certificate (" + e.getMessage()
                    + "); is it a plumb server? Nothing was saved");
        }
    }

    private static String credential(ServerClient.Response answer, URI server, String host) throws PullException {
        try {
            Map<?, ?> body = Json.MAPPER.readValue(answer.body(), Map.class);
            Object credential = body.get("credential");
            if (host.equals(body.get("host")) && credential instanceof String text && CREDENTIAL.matcher(text).matches()) {
                return text;
            }
        } catch (JacksonException e) {
            // Reported below, as any other answer without a credential.
        }
        throw new PullException(server + " answered the enrolment of " + host + " without a credential for it; "
                + "is it a plumb server? Nothing was saved");
    }
}

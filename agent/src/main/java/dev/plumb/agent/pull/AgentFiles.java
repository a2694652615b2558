package dev.plumb.agent.pull;

import dev.plumb.catalog.Json;
import dev.plumb.system.FileErrors;
import dev.plumb.system.PrivateFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import tools.jackson.core.JacksonException;

/**
 * What an enrolled agent keeps in {@code STATE/agent/} (0700): the server's CA certificate ({@code ca.pem}), its
 * credential ({@code credential}, 0600), which server and host name it enrolled as ({@code server.json}) and the
 * reports waiting for the server ({@code spool/}). Every file is written whole, under a private temporary name, then
 * renamed into place.
 */
public record AgentFiles(Path directory) {

    /** The agent's files in the state directory {@code stateDirectory}. */
    public static AgentFiles in(Path stateDirectory) {
        return new AgentFiles(stateDirectory.resolve("agent"));
    }

    Path ca() {
        return directory.resolve("ca.pem");
    }

    Path credential() {
        return directory.resolve("credential");
    }

    Path server() {
        return directory.resolve("server.json");
    }

    Path spool() {
        return directory.resolve("spool");
    }

    /** What {@code server.json} holds: nothing secret, but what the credential is good for. */
    record ServerFile(String server, String host, String enrolledAt) {
    }

    /** Everything an agent needs to talk to its server, as enrolling saved it. */
    public record Enrolled(URI server, String host, X509Certificate ca, String credential) {

        /** Never the credential: a record's own toString would print it. */
        @Override
        public String toString() {
            return "Enrolled[" + server + " as " + host + "]";
        }
    }

    /** Saves an enrolment: the CA first, the credential, and last the file that says which server they are for. */
    void save(Enrolled enrolled, String enrolledAt) throws IOException {
        PrivateFiles.directory(directory);
        PrivateFiles.write(ca(), pem(enrolled.ca()).getBytes(StandardCharsets.US_ASCII));
        PrivateFiles.write(credential(), (enrolled.credential() + "\n").getBytes(StandardCharsets.US_ASCII));
        PrivateFiles.write(server(), Json.MAPPER.writeValueAsBytes(
                new ServerFile(enrolled.server().toString(), enrolled.host(), enrolledAt)));
    }

    /** The enrolment saved here, read afresh: enrolling again while the agent runs takes effect on its next round. */
    Enrolled enrolled() throws PullException {
        try {
            ServerFile server = Json.MAPPER.readValue(Files.readAllBytes(server()), ServerFile.class);
            String credential = Files.readString(credential(), StandardCharsets.US_ASCII).strip();
            X509Certificate ca = certificate(Files.readAllBytes(ca()));
            return new Enrolled(URI.create(server.server()), server.host(), ca, credential);
        } catch (NoSuchFileException e) {
            throw new PullException("this host is not enrolled with a plumb server (" + e.getFile() + " is missing): run "
                    + "plumb-agent enroll --server URL --host NAME --token TOKEN, with a token from plumb server enroll NAME");
        } catch (IOException e) {
            throw new PullException("cannot read this host's enrolment in " + directory + ": " + FileErrors.describe(e));
        } catch (JacksonException | CertificateException | IllegalArgumentException e) {
            throw new PullException("this host's enrolment in " + directory + " is damaged (" + e.getMessage()
                    + "): enroll again with plumb-agent enroll --server URL --host NAME --token TOKEN");
        }
    }

    /** The one X.509 certificate in {@code pem} (or DER). */
    static X509Certificate certificate(byte[] pem) throws CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
    }

    /** {@code certificate} as PEM, as every TLS tool reads it. */
    static String pem(X509Certificate certificate) throws IOException {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IOException("cannot encode the CA certificate: " + e.getMessage(), e);
        }
    }
}

package dev.plumb.checks;

import dev.plumb.api.Attribute;
import dev.plumb.api.Check;
import dev.plumb.api.CheckContext;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.ResourceException;
import dev.plumb.api.Verdict;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLSocket;

/**
 * {@code certificate: PATH or HOST:PORT} — a certificate's remaining validity, names and issuer: the first
 * certificate of a PEM file (a regular file of up to 1 MiB), or the one a TLS server presents in its handshake.
 * It judges the certificate, not the chain: a self-signed certificate is looked at as any other (an
 * {@code https} http check verifies trust).
 */
public record CertificateCheck(
        @Attribute(doc = "an absolute path to a PEM file, or host:port of a TLS server") String source,
        @Attribute(doc = "the minimum number of days it must stay valid from now; default 0 (not expired)",
                defaultValue = "0")
        Integer validForDays,
        @Attribute(doc = "a host name (or IP address) the certificate must be valid for") String hostname,
        @Attribute(doc = "text the issuer's distinguished name must contain") String issuerContains)
        implements Check {

    private static final Pattern PEM_BLOCK = Pattern.compile(
            "-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]+)-----END CERTIFICATE-----");
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[^\\s:/\\[\\]]+):(\\d{1,5})");

    @Override
    public List<Diagnostic> validate() {
        List<Diagnostic> problems = new ArrayList<>();
        if (!source.startsWith("/")) {
            Matcher matcher = HOST_PORT.matcher(source);
            if (!matcher.matches()) {
                problems.add(Diagnostic.ofAttribute(null, "'" + source + "' is neither an absolute path to a PEM file nor "
                        + "host:port of a TLS server, such as /etc/ssl/certs/site.pem or example.com:443"));
            } else if (Integer.parseInt(matcher.group(2)) < 1 || Integer.parseInt(matcher.group(2)) > 65535) {
                problems.add(Diagnostic.ofAttribute(null, "'" + matcher.group(2) + "' is not a port; expected 1 to 65535"));
            }
        }
        if (validForDays != null && validForDays < 0) {
            problems.add(Diagnostic.ofAttribute("valid_for_days", validForDays + " is not a number of days; expected 0 or more"));
        }
        return problems;
    }

    @Override
    public Verdict verify(CheckContext context, Duration timeout) throws IOException, ResourceException {
        X509Certificate certificate = source.startsWith("/") ? fromFile(Path.of(source)) : fromServer(context, timeout);
        Instant now = context.clock().instant();
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        int minimumDays = validForDays == null ? 0 : validForDays;
        Verdict verdict = new Verdict();
        if (now.isBefore(notBefore)) {
            verdict.mismatch("valid_for_days", "a certificate valid now", "one valid only from " + notBefore);
        } else if (now.plus(minimumDays, ChronoUnit.DAYS).isAfter(notAfter)) {
            long daysLeft = Math.floorDiv(Duration.between(now, notAfter).toSeconds(), 86_400);
            verdict.mismatch("valid_for_days", minimumDays == 0 ? "a certificate not expired"
                            : "at least " + minimumDays + " days of validity left",
                    now.isAfter(notAfter) ? "expired at " + notAfter : daysLeft + (daysLeft == 1 ? " day" : " days")
                            + " left (valid until " + notAfter + ")");
        }
        List<String> names = names(certificate);
        if (hostname != null && names.stream().noneMatch(name -> covers(name, hostname))) {
            verdict.mismatch("hostname", "a certificate for " + hostname, "one for " + String.join(", ", names));
        }
        String issuer = certificate.getIssuerX500Principal().getName();
        if (issuerContains != null && !issuer.contains(issuerContains)) {
            verdict.mismatch("issuer_contains", Evidence.quote(issuerContains), "issuer " + issuer);
        }
        return verdict.evidence("subject: " + certificate.getSubjectX500Principal().getName() + "\nissuer: " + issuer
                + "\nvalid from " + notBefore + " to " + notAfter + "\nnames: " + String.join(", ", names));
    }

    private static X509Certificate fromFile(Path file) throws IOException, ResourceException {
        byte[] pem = CheckFiles.read(file.toRealPath(), true, "a certificate check").text();
        Matcher block = PEM_BLOCK.matcher(new String(pem, StandardCharsets.US_ASCII));
        if (!block.find()) {
            throw new ResourceException(file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(block.group(1));
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | IllegalArgumentException e) {
            throw new ResourceException(file + ": the first certificate cannot be read: " + e.getMessage());
        }
    }

    /** The certificate the server presents, read from a handshake that trusts anything, since it is judged after. */
    private X509Certificate fromServer(CheckContext context, Duration timeout) throws ResourceException {
        int colon = source.lastIndexOf(':');
        String host = source.substring(0, colon).replaceAll("^\\[|]$", "");
        int port = Integer.parseInt(source.substring(colon + 1));
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(host, port), millis);
            plain.setSoTimeout(millis);
            try (SSLSocket tls = (SSLSocket) TrustingTls.socketFactory(context)
                    .createSocket(plain, host, port, true)) {
                tls.startHandshake();
                return (X509Certificate) tls.getSession().getPeerCertificates()[0];
            }
        } catch (IOException e) {
            throw new ResourceException("cannot get the certificate of " + source + ": " + CheckRunner.messageOf(e));
        }
    }

    /** The DNS names and IP addresses a certificate is for; its common name when it has no DNS names. */
    static List<String> names(X509Certificate certificate) throws ResourceException {
        List<String> names = new ArrayList<>();
        try {
            if (certificate.getSubjectAlternativeNames() != null) {
                for (List<?> entry : certificate.getSubjectAlternativeNames()) {
                    int type = (Integer) entry.get(0);
                    if (type == 2 || type == 7) {
                        names.add(entry.get(1).toString());
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new ResourceException("the certificate's alternative names cannot be read: " + e.getMessage());
        }
        if (names.isEmpty()) {
            try {
                for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                    if (rdn.getType().equalsIgnoreCase("CN")) {
                        names.add(rdn.getValue().toString());
                    }
                }
            } catch (InvalidNameException e) {
                throw new ResourceException("the certificate's subject cannot be read: " + e.getMessage());
            }
        }
        return names;
    }

    /** Whether a certificate name covers {@code host}: equal, a wildcard for one leftmost label, or the same IP address. */
    static boolean covers(String name, String host) {
        InetAddress address = DnsCheck.literal(host);
        if (address != null) {
            return address.equals(DnsCheck.literal(name));
        }
        String lower = host.toLowerCase();
        String pattern = name.toLowerCase();
        if (pattern.startsWith("*.")) {
            int dot = lower.indexOf('.');
            return dot > 0 && lower.substring(dot).equals(pattern.substring(1));
        }
        return lower.equals(pattern);
    }
}

package dev.plumb.server.tls;

import dev.plumb.server.ServerStartException;
import dev.plumb.system.Hashing;
import dev.plumb.system.PrivateFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/**
 * The certificate the server presents and the CA agents trust. By default the server is its own CA: made at first
 * start in {@code STATE/server/tls} (EC P-256, keys 0600) and kept, and a server certificate for the names it is
 * reached by, issued by it at every start. A user may give a certificate chain and key instead; the chain's last
 * certificate is then the one agents are told to trust.
 */
public final class ServerTls {

    private static final String CA_CERTIFICATE = "ca.pem";
    private static final String CA_KEY = "ca.key";
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration SERVER_VALIDITY = Duration.ofDays(825);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<X509Certificate> chain;
    private final PrivateKey key;

    private ServerTls(List<X509Certificate> chain, PrivateKey key) {
        this.chain = List.copyOf(chain);
        this.key = key;
    }

    /**
     * The server's own CA in {@code directory}, made when missing, and a new server certificate for {@code names}
     * (host names or IP addresses) issued by it.
     */
    public static ServerTls ownCa(Path directory, List<String> names) throws ServerStartException {
        try {
            PrivateFiles.directory(directory);
            Path caFile = directory.resolve(CA_CERTIFICATE);
            Path caKeyFile = directory.resolve(CA_KEY);
            if (!Files.exists(caFile) || !Files.exists(caKeyFile)) {
                KeyPair caKeys = newKeyPair();
                X500Name caName = new X500Name("CN=plumb server CA " + InetAddress.getLocalHost().getHostName());
                JcaX509v3CertificateBuilder builder = builder(caName, caName, CA_VALIDITY, caKeys);
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                // The key first, in PKCS#8 (which names its curve): a certificate without its key would look like a CA.
                PrivateFiles.write(caKeyFile, pem(new JcaPKCS8Generator(caKeys.getPrivate(), null)));
                PrivateFiles.write(caFile, pem(sign(builder, caKeys.getPrivate())));
            }
            X509Certificate ca = readCertificates(caFile).get(0);
            PrivateKey caKey = readKey(caKeyFile);
            KeyPair serverKeys = newKeyPair();
            JcaX509v3CertificateBuilder builder = builder(X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
                    new X500Name("CN=" + names.get(0)), SERVER_VALIDITY, serverKeys);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames(names));
            return new ServerTls(List.of(sign(builder, caKey), ca), serverKeys.getPrivate());
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new ServerStartException("cannot make or read the server's CA in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** The certificate chain (PEM, the server's first) and its private key (PEM) a user gives. */
    public static ServerTls given(Path chainFile, Path keyFile) throws ServerStartException {
        List<X509Certificate> chain;
        try {
            chain = readCertificates(chainFile);
        } catch (IOException | GeneralSecurityException e) {
            throw new ServerStartException("--tls-cert " + chainFile + ": " + describe(e)
                    + "; give the server's certificate, then its CA's, in PEM");
        }
        if (chain.isEmpty()) {
            throw new ServerStartException("--tls-cert " + chainFile + ": no certificate in it; give the server's "
                    + "certificate, then its CA's, in PEM");
        }
        try {
            return new ServerTls(chain, readKey(keyFile));
        } catch (IOException e) {
            throw new ServerStartException("--tls-key " + keyFile + ": " + describe(e) + "; give the certificate's "
                    + "private key in PEM");
        }
    }

    /** The names a server listening on {@code host} is reached by when none are given: that address and localhost. */
    public static List<String> defaultNames(String host) {
        List<String> names = new ArrayList<>();
        if (!host.equals("0.0.0.0") && !host.equals("::")) {
            names.add(host);
        } else {
            try {
                names.add(InetAddress.getLocalHost().getHostName());
            } catch (IOException e) {
                // No name of its own: localhost and the loopback addresses still work.
            }
        }
        for (String name : List.of("localhost", "127.0.0.1", "::1")) {
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /** The key store Jetty serves from, with {@code password}. */
    public KeyStore keyStore(char[] password) throws ServerStartException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, password, chain.toArray(new Certificate[0]));
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new ServerStartException("the server's key does not match its certificate: " + e.getMessage(), e);
        }
    }

    /** The certificate agents trust, in PEM: the server's own CA, or the last of a given chain. */
    public String caPem() {
        return new String(pem(ca()), StandardCharsets.US_ASCII);
    }

    /** The sha256 of the CA certificate's DER, hex: the part of an enrolment token that lets an agent check it. */
    public String caFingerprint() {
        try {
            return Hashing.sha256(ca().getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a certificate read from PEM always encodes", e);
        }
    }

    private X509Certificate ca() {
        return chain.get(chain.size() - 1);
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, Duration validity, KeyPair keys) {
        Instant now = Instant.now();
        // A minute back: a host whose clock is a little behind still accepts a certificate issued just now.
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, RANDOM).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofMinutes(1))), Date.from(now.plus(validity)), subject, keys.getPublic());
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, PrivateKey issuerKey)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(builder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    }

    private static GeneralNames alternativeNames(List<String> names) {
        return new GeneralNames(names.stream().map(name -> new GeneralName(isAddress(name) ? GeneralName.iPAddress
                : GeneralName.dNSName, name)).toArray(GeneralName[]::new));
    }

    private static boolean isAddress(String name) {
        return name.matches("[0-9.]+") || name.contains(":");
    }

    private static byte[] pem(Object value) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(value);
        } catch (IOException e) {
            throw new IllegalStateException("writing PEM to a string cannot fail", e);
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static List<X509Certificate> readCertificates(Path file) throws IOException, GeneralSecurityException {
        List<X509Certificate> certificates = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof X509CertificateHolder holder) {
                    certificates.add(new JcaX509CertificateConverter().getCertificate(holder));
                }
            }
        }
        return certificates;
    }

    private static PrivateKey readKey(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (item instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
            }
        }
        throw new IOException("no unencrypted private key in it");
    }

    private static String describe(Exception e) {
        return e instanceof NoSuchFileException ? "no such file" : e.getMessage();
    }
}

package dev.plumb.checks;

import dev.plumb.Fixtures;
import dev.plumb.api.CheckContext;
import dev.plumb.api.Mismatch;
import dev.plumb.api.Services;
import dev.plumb.catalog.CheckResult;
import static dev.plumb.checks.CheckFixtures.check;
import static dev.plumb.checks.CheckFixtures.problems;
import static dev.plumb.checks.CheckFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.plumb.catalog.CheckStatus;
import dev.plumb.providers.Providers;
import dev.plumb.system.ProcessCommandRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificate and https checks against a real TLS server on loopback, whose self-signed certificate (made with
 * keytool for this test) expires in three days.
 */
class TlsCheckTest {

    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path dir;

    private static HttpsServer server;
    private static String hostPort;
    private static Path pem;

    @BeforeAll
    static void startTlsServer() throws Exception {
        Path keystore = dir.resolve("server.p12");
        pem = dir.resolve("server.pem");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "3",
                "-dname", "CN=localhost, O=Plumb Test CA", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-file", pem.toString());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, PASSWORD);
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, 2);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("ok".getBytes());
            }
        });
        server.start();
        hostPort = "127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stopTlsServer() {
        server.stop(0);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        argv.addAll(List.of(args));
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IOException("keytool failed: " + output);
        }
    }

    @Test
    void aCertificateExpiringInThreeDaysFailsFourteenDaysOfValidity() {
        CheckResult result = run(check("certificate", hostPort, "valid_for_days", 14));
        assertThat(result.status()).isEqualTo(CheckStatus.FAILED);
        assertThat(result.mismatches()).hasSize(1);
        Mismatch mismatch = result.mismatches().get(0);
        assertThat(mismatch.attribute()).isEqualTo("valid_for_days");
        assertThat(mismatch.expected()).isEqualTo("at least 14 days of validity left");
        assertThat(mismatch.got()).matches("2 days left \\(valid until 20\\d\\d-\\d\\d-\\d\\dT[0-9:]+Z\\)");
        assertThat(result.evidence()).contains("subject: CN=localhost,O=Plumb Test CA", "names: localhost, 127.0.0.1");

        assertThat(run(check("certificate", hostPort, "valid_for_days", 2)).passed()).isTrue();
    }

    @Test
    void theSameCertificateIsReadFromAPemFile() {
        assertThat(run(check("certificate", pem.toString(), "valid_for_days", 14)).mismatches())
                .extracting(Mismatch::attribute).containsExactly("valid_for_days");
        assertThat(run(check("certificate", pem.toString(), "hostname", "localhost")).passed()).isTrue();
    }

    @Test
    void namesAndIssuerAreChecked() {
        assertThat(run(check("certificate", hostPort, "hostname", "localhost", "issuer_contains", "O=Plumb Test CA")).passed())
                .isTrue();
        assertThat(run(check("certificate", hostPort, "hostname", "127.0.0.1")).passed()).isTrue();
        CheckResult result = run(check("certificate", hostPort, "hostname", "shop.example.com", "issuer_contains", "Let's Encrypt"));
        assertThat(result.mismatches()).containsExactly(
                new Mismatch("hostname", "a certificate for shop.example.com", "one for localhost, 127.0.0.1"),
                new Mismatch("issuer_contains", "'Let's Encrypt'", "issuer CN=localhost,O=Plumb Test CA"));
    }

    @Test
    void anExpiredCertificateSaysWhen() {
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofDays(5));
        CheckContext context = new CheckContext(new ProcessCommandRunner(),
                Services.of(new Providers(new ProcessCommandRunner(), Fixtures.FACTS)), later);
        CheckResult result = CheckFixtures.run(context, check("certificate", pem.toString()));
        assertThat(result.mismatches()).singleElement().satisfies(m -> {
            assertThat(m.expected()).isEqualTo("a certificate not expired");
            assertThat(m.got()).startsWith("expired at 20");
        });
    }

    @Test
    void httpsVerifiesTheCertificateUnlessInsecure() {
        CheckResult verified = run(check("http", "https://" + hostPort + "/"));
        assertThat(verified.status()).isEqualTo(CheckStatus.FAILED);
        assertThat(verified.error()).startsWith("TLS with 127.0.0.1 failed: ")
                .contains("PKIX path building failed")
                .endsWith("; if that certificate is meant to be untrusted, set insecure: true");

        assertThat(run(check("http", "https://" + hostPort + "/", "insecure", true, "body_contains", "ok")).passed()).isTrue();
        assertThat(run(check("http", "https://localhost:" + server.getAddress().getPort() + "/", "insecure", true)).passed())
                .isTrue();
    }

    @Test
    void aServerThatIsNotThereOrAFileWithoutACertificateIsAnError() throws IOException {
        Path notPem = Files.writeString(dir.resolve("not.pem"), "hello\n");
        assertThat(run(check("certificate", notPem.toString())).error())
                .isEqualTo(notPem + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        assertThat(run(check("certificate", dir.resolve("missing.pem").toString())).error())
                .isEqualTo("no such file or directory: " + dir.resolve("missing.pem"));
    }

    @Test
    void aDeviceAFifoOrAHugeFileFailsTheCheckAtOnceWithTheReason() throws Exception {
        Path fifo = dir.resolve("cert.fifo");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        Path huge = dir.resolve("huge.pem");
        try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(1L << 30);
        }
        for (Path special : List.of(Path.of("/dev/zero"), fifo)) {
            CheckResult result = run(check("certificate", special.toString(), "timeout", "30s"));
            assertThat(result.error()).isEqualTo(special + " is a device, FIFO or socket, not a regular file; a certificate "
                    + "check reads regular files only");
            assertThat(result.millis()).isLessThan(5_000);
        }
        CheckResult result = run(check("certificate", huge.toString(), "timeout", "30s"));
        assertThat(result.error()).isEqualTo(huge + " is larger than 1 MiB; a certificate check reads files of up to 1 MiB");
        assertThat(result.millis()).isLessThan(5_000);
    }

    @Test
    void targetsAreAPathOrHostAndPort() {
        assertThat(problems("certificate", "example.com")).containsExactly("'example.com' is neither an absolute path to a "
                + "PEM file nor host:port of a TLS server, such as /etc/ssl/certs/site.pem or example.com:443");
        assertThat(problems("certificate", "example.com:99999")).containsExactly("'99999' is not a port; expected 1 to 65535");
        assertThat(problems("certificate", "[::1]:443", "valid_for_days", -1))
                .containsExactly("valid_for_days: -1 is not a number of days; expected 0 or more");
    }
}

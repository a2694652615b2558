package dev.plumb.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.server.ServerStartException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerTlsTest {

    @TempDir
    Path state;

    @Test
    void firstStartMakesACaOnlyRootReadsAndLaterStartsKeepIt() throws Exception {
        Path tls = state.resolve("server/tls");
        ServerTls first = ServerTls.ownCa(tls, List.of("plumb.example", "127.0.0.1"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tls))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.resolve("ca.key")))).isEqualTo("rw-------");
        ServerTls second = ServerTls.ownCa(tls, List.of("localhost"));
        assertThat(second.caFingerprint()).isEqualTo(first.caFingerprint()).matches("[0-9a-f]{64}");
        assertThat(second.caPem()).isEqualTo(first.caPem()).startsWith("-----BEGIN CERTIFICATE-----");
    }

    @Test
    void serverCertificateNamesItsAddressesAndIsIssuedByTheCa() throws Exception {
        ServerTls tls = ServerTls.ownCa(state.resolve("tls"), List.of("plumb.example", "127.0.0.1"));
        KeyStore store = tls.keyStore("pw".toCharArray());
        X509Certificate server = (X509Certificate) store.getCertificateChain("server")[0];
        X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(tls.caPem().getBytes(StandardCharsets.US_ASCII)));
        server.verify(ca.getPublicKey());
        assertThat(server.getSubjectAlternativeNames().stream().map(name -> (Object) name.get(1)).toList())
                .containsExactly((Object) "plumb.example", "127.0.0.1");
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void aGivenChainIsServedAndItsLastCertificateIsTheOneAgentsTrust() throws Exception {
        Path tls = state.resolve("tls");
        ServerTls own = ServerTls.ownCa(tls, List.of("localhost"));
        Path chain = Files.writeString(state.resolve("chain.pem"), Files.readString(tls.resolve("ca.pem")));
        ServerTls given = ServerTls.given(chain, tls.resolve("ca.key"));
        assertThat(given.caFingerprint()).isEqualTo(own.caFingerprint());
        assertThat(given.keyStore("pw".toCharArray()).getCertificateChain("server")).hasSize(1);
    }

    @Test
    void aGivenKeyThatIsNoKeyIsNamed() throws Exception {
        Path tls = state.resolve("tls");
        ServerTls.ownCa(tls, List.of("localhost"));
        assertThatThrownBy(() -> ServerTls.given(tls.resolve("ca.pem"), tls.resolve("ca.pem")))
                .isInstanceOf(ServerStartException.class)
                .hasMessage("--tls-key " + tls.resolve("ca.pem") + ": no unencrypted private key in it; give the "
                        + "certificate's private key in PEM");
    }

    @Test
    void aGivenCertificateThatIsMissingIsNamed() {
        assertThatThrownBy(() -> ServerTls.given(state.resolve("nope.pem"), state.resolve("nope.key")))
                .isInstanceOf(ServerStartException.class)
                .hasMessage("--tls-cert " + state.resolve("nope.pem") + ": no such file; give the server's certificate, "
                        + "then its CA's, in PEM");
    }
}

package dev.plumb.checks;

import dev.plumb.api.Mismatch;
import dev.plumb.catalog.CheckResult;
import static dev.plumb.checks.CheckFixtures.check;
import static dev.plumb.checks.CheckFixtures.problems;
import static dev.plumb.checks.CheckFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The dns check through this host's resolver; .invalid names never resolve (RFC 6761). */
class DnsCheckTest {

    @Test
    void localhostResolvesToLoopback() {
        assertThat(run(check("dns", "localhost", "addresses", List.of("127.0.0.1"))).passed()).isTrue();
        CheckResult wrong = run(check("dns", "localhost", "addresses", List.of("192.0.2.1")));
        assertThat(wrong.mismatches()).singleElement().satisfies(m -> {
            assertThat(m.attribute()).isEqualTo("addresses");
            assertThat(m.expected()).isEqualTo("192.0.2.1");
            assertThat(m.got()).contains("127.0.0.1");
        });
    }

    @Test
    void anInvalidNameDoesNotResolve() {
        assertThat(run(check("dns", "no-such-host.invalid", "resolves", false)).passed()).isTrue();
        assertThat(run(check("dns", "no-such-host.invalid")).mismatches())
                .containsExactly(new Mismatch("resolves", "no-such-host.invalid resolving", "no answer"));
    }

    @Test
    void namesAndAddressesAreValidated() {
        assertThat(problems("dns", "bad name", "addresses", List.of("10.0.0.300", "db.internal"))).containsExactly(
                "'bad name' is not a host name; expected one such as db.example.com",
                "addresses: '10.0.0.300' is not an IP address; expected one such as 192.0.2.10 or 2001:db8::10",
                "addresses: 'db.internal' is not an IP address; expected one such as 192.0.2.10 or 2001:db8::10");
        assertThat(problems("dns", "example.com", "addresses", List.of("2001:db8::10"))).isEmpty();
    }
}

package dev.plumb.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.RecordingRunner;
import dev.plumb.api.CommandResult;
import dev.plumb.api.FailureKind;
import dev.plumb.api.ResourceException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The apt provider against output captured from dpkg-query, apt-cache and apt-get on Debian 12. */
class AptProviderTest {

    private static String captured(String name) throws IOException {
        try (InputStream in = AptProviderTest.class.getResourceAsStream("/captured/apt/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void dpkgQueryOutputGivesStatusAndVersionByName() throws IOException {
        Map<String, AptProvider.Installed> installed = AptProvider.parseQuery(captured("dpkg-query.stdout"));

        assertThat(installed).containsOnlyKeys("bash", "libc6");
        assertThat(installed.get("bash")).isEqualTo(new AptProvider.Installed("bash", "ii", "5.2.15-2+b8"));
        assertThat(installed.get("bash").isInstalled()).isTrue();
    }

    @Test
    void removedPackageWithConfigurationLeftIsNotInstalledButLeavesTraces() {
        AptProvider.Installed removed = AptProvider.parseQuery("nginx\trc \t1.22.1-9\n").get("nginx");

        assertThat(removed.isInstalled()).isFalse();
        assertThat(removed.leavesTraces()).isTrue();
    }

    @Test
    void aptCachePolicyGivesCandidateAndEveryVersionOffered() throws IOException {
        Map<String, AptProvider.Policy> policies = AptProvider.parsePolicy(captured("apt-cache-policy.stdout"));

        assertThat(policies).containsOnlyKeys("bash", "coreutils", "plumbtest-manual");
        assertThat(policies.get("bash")).isEqualTo(new AptProvider.Policy("5.2.15-2+b13", List.of("5.2.15-2+b13", "5.2.15-2+b8")));
        assertThat(policies.get("coreutils")).isEqualTo(new AptProvider.Policy("9.1-1", List.of("9.1-1")));
        assertThat(policies.get("plumbtest-manual").candidate()).isEqualTo("1.0");
    }

    @Test
    void packageWithoutCandidateHasNone() {
        String output = "ghost:\n  Installed: (none)\n  Candidate: (none)\n  Version table:\n";

        assertThat(AptProvider.parsePolicy(output).get("ghost")).isEqualTo(new AptProvider.Policy(null, List.of()));
    }

    @Test
    void lockTimeoutNamesTheProcessHoldingTheLock() throws IOException {
        CommandResult result = new CommandResult(100, captured("apt-get-lock-timeout.stdout"),
                captured("apt-get-lock-timeout.stderr"));

        ResourceException failure = AptProvider.failure("install", result, Duration.ofSeconds(120));

        assertThat(failure.kind()).isEqualTo(FailureKind.LOCKED);
        assertThat(failure.getMessage()).isEqualTo(
                "the dpkg lock /var/lib/dpkg/lock-frontend is held by process 7864 (python3); waited 120 s for it. "
                        + "Let that process finish, then run plumb again");
    }

    @Test
    void otherFailuresCarryAptsLastLines() throws IOException {
        CommandResult result = new CommandResult(100, captured("apt-get-unknown.stdout"), captured("apt-get-unknown.stderr"));

        ResourceException failure = AptProvider.failure("install", result, Duration.ofSeconds(120));

        assertThat(failure.kind()).isEqualTo(FailureKind.COMMAND_FAILED);
        assertThat(failure.getMessage())
                .isEqualTo("apt-get install failed with exit code 100:\nE: Unable to locate package nosuchpkg-zz");
    }

    @Test
    void transactionIsOneNonInteractiveAptGetCallThatWaitsForTheLock() throws Exception {
        RecordingRunner runner = new RecordingRunner();

        new AptProvider(runner, Duration.ofSeconds(30)).transaction("install", List.of("nginx", "curl=7.88.1-10", "/tmp/x/app.deb"));

        assertThat(runner.argvs()).containsExactly(List.of("apt-get", "--quiet", "--yes", "--allow-downgrades",
                "-o", "DPkg::Lock::Timeout=30", "-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold",
                "install", "nginx", "curl=7.88.1-10", "/tmp/x/app.deb"));
        assertThat(runner.commands().get(0).env()).containsEntry("DEBIAN_FRONTEND", "noninteractive");
    }

    @Test
    void failedTransactionThrowsWithTheEvidence() {
        RecordingRunner runner = new RecordingRunner().answerPrefix("apt-get", 100, "", "E: Unable to locate package nope\n");

        assertThatThrownBy(() -> new AptProvider(runner, Duration.ofSeconds(1)).transaction("install", List.of("nope")))
                .isInstanceOf(ResourceException.class)
                .hasMessage("apt-get install failed with exit code 100:\nE: Unable to locate package nope");
    }

    @Test
    void suitsDebianAndItsDerivativesOnly() {
        AptProvider apt = new AptProvider(new RecordingRunner(), Duration.ofSeconds(1));

        assertThat(apt.suitable(Map.of("os", Map.of("id", "debian", "family", "debian")))).isTrue();
        assertThat(apt.suitable(Map.of("os", Map.of("id", "ubuntu", "family", "debian")))).isTrue();
        assertThat(apt.suitable(Map.of("os", Map.of("id", "linuxmint", "id_like", "ubuntu debian")))).isTrue();
        assertThat(apt.suitable(Map.of("os", Map.of("id", "rocky", "family", "rhel")))).isFalse();
    }
}

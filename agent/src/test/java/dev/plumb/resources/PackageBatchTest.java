package dev.plumb.resources;

import dev.plumb.Fixtures;
import static dev.plumb.Fixtures.catalog;
import static dev.plumb.Fixtures.content;
import static dev.plumb.Fixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.RecordingRunner;
import dev.plumb.agent.BuiltInTypes;
import dev.plumb.api.FailureKind;
import dev.plumb.catalog.Catalog;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.ResourceResult;
import dev.plumb.catalog.RunReport;
import dev.plumb.catalog.Status;
import dev.plumb.engine.Engine;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the engine groups packages into apt transactions, seen through the command seam: nothing is installed. */
class PackageBatchTest {

    private static final String QUERY = "dpkg-query --show --showformat=${Package}\\t${db:Status-Abbrev}\\t${Version}\\n";
    private static final String INSTALL = "apt-get --quiet --yes --allow-downgrades -o DPkg::Lock::Timeout=120 "
            + "-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold install";

    @TempDir
    Path dir;

    private final RecordingRunner runner = new RecordingRunner()
            .answerPrefix("dpkg-query", 1, "", "dpkg-query: no packages found matching ...\n")
            .answerPrefix("apt-cache policy", 0, policy("curl", "7.88.1-10") + policy("jq", "1.6-2.1") + policy("git", "1:2.39.5-0"), "");

    private static String policy(String name, String candidate) {
        return name + ":\n  Installed: (none)\n  Candidate: " + candidate + "\n  Version table:\n     " + candidate + " 500\n";
    }

    private RunReport run(Catalog catalog, Mode mode) throws Exception {
        return new Engine(Fixtures.context(runner, dir.resolve("backups")),
                BuiltInTypes.REGISTRY, 4, Clock.systemUTC()).run(catalog, mode);
    }

    @Test
    void independentPackagesShareOneQueryAndOneTransaction() throws Exception {
        RunReport report = run(catalog(resource("package", "curl", Map.of()), resource("package", "jq", Map.of()),
                resource("package", "git", Map.of())), Mode.APPLY);

        assertThat(runner.lines()).containsExactly(QUERY + " curl jq git", "apt-cache policy curl jq git", INSTALL + " curl jq git");
        assertThat(report.resources()).extracting(ResourceResult::status).containsOnly(Status.CHANGED);
        assertThat(report.resources().get(2).details()).containsExactly("install version 1:2.39.5-0");
    }

    @Test
    void aPackageThatNeedsAnotherThroughAFileGetsASecondTransaction() throws Exception {
        Path config = dir.resolve("curlrc");
        Catalog catalog = catalog(
                resource("package", "curl", Map.of()),
                resource("file", config.toString(), List.of("package:curl"), List.of(), content("x\n")),
                resource("package", "git", List.of("file:" + config), List.of(), Map.of()),
                resource("package", "jq", Map.of()));

        run(catalog, Mode.APPLY);

        assertThat(runner.lines()).filteredOn(line -> line.startsWith("apt-get"))
                .containsExactly(INSTALL + " curl jq", INSTALL + " git");
    }

    @Test
    void aPlanRunsOnlyQueries() throws Exception {
        RunReport report = run(catalog(resource("package", "curl", Map.of()), resource("package", "jq", Map.of())), Mode.PLAN);

        assertThat(runner.lines()).containsExactly(QUERY + " curl jq", "apt-cache policy curl jq");
        assertThat(report.resources()).extracting(ResourceResult::status).containsOnly(Status.WOULD_CHANGE);
    }

    @Test
    void installedPackagesAreCheckedWithOneQueryAndNothingElse() throws Exception {
        runner.answerPrefix(QUERY, 0, "curl\tii \t7.88.1-10\njq\tii \t1.6-2.1\n", "");

        RunReport report = run(catalog(resource("package", "curl", Map.of()),
                resource("package", "jq", Map.of("version", "1.6-2.1"))), Mode.CHECK);

        assertThat(runner.lines()).containsExactly(QUERY + " curl jq");
        assertThat(report.resources()).extracting(ResourceResult::status).containsOnly(Status.IN_SYNC);
    }

    @Test
    void aFailedTransactionIsRetriedPackageByPackageSoOnlyTheBrokenOneFails() throws Exception {
        runner.answer(INSTALL + " curl jq", 100, "", "E: Sub-process /usr/bin/dpkg returned an error code (1)\n")
                .answer(INSTALL + " jq", 100, "", "E: jq is broken\n");

        RunReport report = run(catalog(resource("package", "curl", Map.of()), resource("package", "jq", Map.of())), Mode.APPLY);

        assertThat(runner.lines()).filteredOn(line -> line.startsWith("apt-get"))
                .containsExactly(INSTALL + " curl jq", INSTALL + " curl", INSTALL + " jq");
        assertThat(report.resources().get(0).status()).isEqualTo(Status.CHANGED);
        assertThat(report.resources().get(1).status()).isEqualTo(Status.FAILED);
        assertThat(report.resources().get(1).error()).isEqualTo("apt-get install failed with exit code 100:\nE: jq is broken");
    }

    @Test
    void aHeldDpkgLockFailsTheWholeBatchWithoutRetryingPackageByPackage() throws Exception {
        runner.answer(INSTALL + " curl jq", 100, "Waiting for cache lock: Could not get lock /var/lib/dpkg/lock-frontend. "
                + "It is held by process 7864 (python3)\n", "E: Could not get lock /var/lib/dpkg/lock-frontend\n");

        RunReport report = run(catalog(resource("package", "curl", Map.of()), resource("package", "jq", Map.of())), Mode.APPLY);

        assertThat(runner.lines()).filteredOn(line -> line.startsWith("apt-get")).containsExactly(INSTALL + " curl jq");
        assertThat(report.resources()).extracting(ResourceResult::failure).containsExactly(FailureKind.LOCKED, FailureKind.LOCKED);
        assertThat(report.resources().get(0).error()).startsWith("the dpkg lock /var/lib/dpkg/lock-frontend is held by "
                + "process 7864 (python3)");
    }

    @Test
    void aPackageNoSourceOffersFailsAloneWithoutAnAptCall() throws Exception {
        RunReport report = run(catalog(resource("package", "curl", Map.of()), resource("package", "curll", Map.of())), Mode.APPLY);

        assertThat(report.resources().get(1).status()).isEqualTo(Status.FAILED);
        assertThat(report.resources().get(1).error()).isEqualTo("no package 'curll' is available from the configured apt "
                + "sources; check the name, or run apt-get update");
        assertThat(runner.lines()).filteredOn(line -> line.startsWith("apt-get")).containsExactly(INSTALL + " curl");
    }

    @Test
    void anExactVersionAptDoesNotOfferIsNamedWithTheVersionsItDoes() throws Exception {
        RunReport report = run(catalog(resource("package", "curl", Map.of("version", "9.9"))), Mode.PLAN);

        assertThat(report.resources().get(0).error()).isEqualTo("version 9.9 of 'curl' is not available; apt offers 7.88.1-10");
    }

    @Test
    void removalAndPurgeAreTransactionsOfTheirOwn() throws Exception {
        runner.answerPrefix(QUERY, 0, "curl\tii \t7.88.1-10\njq\trc \t1.6-2.1\ngit\tii \t1:2.39.5-0\n", "");

        RunReport report = run(catalog(resource("package", "curl", Map.of("ensure", "absent")),
                resource("package", "jq", Map.of("ensure", "purged")), resource("package", "git", Map.of("ensure", "purged"))),
                Mode.APPLY);

        assertThat(runner.lines()).filteredOn(line -> line.startsWith("apt-get")).containsExactly(
                INSTALL.replace(" install", " remove") + " curl", INSTALL.replace(" install", " purge") + " jq git");
        assertThat(report.resources()).extracting(r -> r.details().get(0))
                .containsExactly("remove version 7.88.1-10", "purge configuration files", "purge version 1:2.39.5-0");
    }
}

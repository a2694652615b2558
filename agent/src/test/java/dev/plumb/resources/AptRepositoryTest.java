package dev.plumb.resources;

import static dev.plumb.Fixtures.catalog;
import static dev.plumb.Fixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.catalog.Json;
import dev.plumb.system.Hashing;
import dev.plumb.testhosts.AgentInHost;
import dev.plumb.testhosts.CommandOutput;
import dev.plumb.testhosts.SystemdHost;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The apt_repository resource for real: a Debian host with systemd booted for the class, a small repository built
 * and signed here with a throwaway key (dpkg-deb, dpkg-scanpackages, gpg in a temporary GNUPGHOME), served to the
 * host over file://, and the agent run inside the host, so that only the host's /etc/apt ever changes.
 */
class AptRepositoryTest {

    /** The agent's exit codes: changes made; a resource failed. */
    private static final int CHANGED = 2;
    private static final int FAILED = 4;

    @TempDir
    static Path work;

    private static SystemdHost host;
    private static AgentInHost agent;
    private static String goodKey;
    private static String wrongKey;
    private static String uri;

    @BeforeAll
    static void bootHostAndBuildRepository() throws Exception {
        SystemdHost.assumeBootable();
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        host = SystemdHost.boot("plumbtest-apt");
        agent = new AgentInHost(host, Files.createDirectories(work.resolve("agent")));
        goodKey = newKey("good");
        wrongKey = newKey("wrong");
        uri = "file://" + host.inside(buildRepository(work.resolve("repo"), "good"));
    }

    @AfterAll
    static void haltHost() throws Exception {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void theSourceAndItsKeyLetAptInstallFromTheRepositoryAndASecondApplyChangesNothing() throws Exception {
        CommandOutput first = agent("apply", repository(goodKey, "present"));
        assertThat(first.exitCode()).as(first.output()).isEqualTo(CHANGED);
        assertThat(first.output()).contains("apt_repository[plumbtest]");
        assertThat(host.exec("cat", "/etc/apt/sources.list.d/plumbtest.sources").output()).isEqualTo("""
                Types: deb
                URIs: %s
                Suites: ./
                Signed-By: /etc/apt/keyrings/plumbtest.asc
                """.formatted(uri));

        CommandOutput install = host.exec("apt-get", "install", "-y", "plumbtest-hello");
        assertThat(install.exitCode()).as(install.output()).isZero();
        assertThat(host.exec("cat", "/usr/share/plumbtest/hello").output()).isEqualTo("hello from plumbtest\n");

        CommandOutput second = agent("apply", repository(goodKey, "present"));
        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(second.output()).doesNotContain("apt_repository[plumbtest]");

        CommandOutput removal = agent("apply", repository(goodKey, "absent"));
        assertThat(removal.exitCode()).as(removal.output()).isEqualTo(CHANGED);
        assertThat(host.exec("ls", "/etc/apt/sources.list.d/plumbtest.sources").succeeded()).isFalse();
        assertThat(host.exec("ls", "/etc/apt/keyrings/plumbtest.asc").succeeded()).isFalse();
    }

    @AfterEach
    void removeWhatATestLeft() throws Exception {
        host.exec("rm", "-f", "/etc/apt/sources.list.d/plumbtest.sources", "/etc/apt/keyrings/plumbtest.asc");
        host.exec("dpkg", "--purge", "plumbtest-hello");
    }

    @Test
    void aWrongKeyFailsTheUpdateWithAptsWordsAndLeavesNoSourceBehind() throws Exception {
        CommandOutput run = agent("apply", repository(wrongKey, "present"));

        assertThat(run.exitCode()).as(run.output()).isEqualTo(FAILED);
        assertThat(run.output()).contains("apt-get update refused the source plumbtest")
                .contains("/etc/apt/sources.list.d/plumbtest.sources and /etc/apt/keyrings/plumbtest.asc were removed again")
                .containsPattern("NO_PUBKEY|not signed");
        assertThat(host.exec("ls", "/etc/apt/sources.list.d/plumbtest.sources").succeeded()).isFalse();
        assertThat(host.exec("ls", "/etc/apt/keyrings/plumbtest.asc").succeeded()).isFalse();
    }

    private static Path repository(String key, String ensure) throws IOException {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("ensure", ensure);
        attributes.put("uris", List.of(uri));
        attributes.put("suites", List.of("./"));
        attributes.put("key", key);
        Path catalog = Files.createTempFile(work, "catalog", ".json");
        Files.write(catalog, Json.MAPPER.writeValueAsBytes(catalog(resource("apt_repository", "plumbtest", attributes))));
        Files.setPosixFilePermissions(catalog, PosixFilePermissions.fromString("rw-r--r--"));
        return catalog;
    }

    /** Runs the agent inside the host on {@code catalog}, keeping its state where the test looks for it. */
    private static CommandOutput agent(String mode, Path catalog) throws Exception {
        return agent.exec(mode, catalog, "--state-dir", "/var/lib/plumbtest-agent", "--no-checks");
    }

    /** A new signing key in its own GNUPGHOME under the work directory; its public half, armored. */
    private static String newKey(String name) throws Exception {
        Path home = Files.createDirectories(work.resolve("gnupg-" + name));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        run(home, "gpg", "--batch", "--passphrase", "", "--quick-gen-key", "plumb test " + name + " <" + name + "@plumb.invalid>",
                "ed25519", "sign", "never");
        return run(home, "gpg", "--armor", "--export");
    }

    /** A flat repository holding plumbtest-hello 1.0, its InRelease signed with the key of {@code keyName}. */
    private static Path buildRepository(Path repository, String keyName) throws Exception {
        Path tree = work.resolve("package");
        Files.createDirectories(tree.resolve("DEBIAN"));
        Files.createDirectories(tree.resolve("usr/share/plumbtest"));
        Files.writeString(tree.resolve("DEBIAN/control"), """
                Package: plumbtest-hello
                Version: 1.0
                Architecture: all
                Maintainer: plumb tests <tests@plumb.invalid>
                Description: a package for plumb's apt_repository test
                """);
        Files.writeString(tree.resolve("usr/share/plumbtest/hello"), "hello from plumbtest\n");
        Files.createDirectories(repository);
        run(work, "dpkg-deb", "--root-owner-group", "--build", tree.toString(), repository.resolve("plumbtest-hello_1.0_all.deb").toString());
        byte[] packages = run(repository, "dpkg-scanpackages", ".", "/dev/null").getBytes(StandardCharsets.UTF_8);
        Files.write(repository.resolve("Packages"), packages);
        Files.writeString(repository.resolve("Release"), """
                Origin: plumbtest
                Label: plumbtest
                Date: %s
                SHA256:
                 %s %d Packages
                """.formatted(DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT)
                        .format(ZonedDateTime.now(ZoneOffset.UTC)), Hashing.sha256(packages), packages.length));
        run(work.resolve("gnupg-" + keyName), "gpg", "--batch", "--yes", "--clearsign", "-o",
                repository.resolve("InRelease").toString(), repository.resolve("Release").toString());
        try (Stream<Path> files = Files.walk(work)) {
            for (Path path : files.toList()) {
                if (!path.startsWith(work.resolve("gnupg-good")) && !path.startsWith(work.resolve("gnupg-wrong"))) {
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        }
        return repository;
    }

    private static String run(Path directory, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        if (directory.getFileName().toString().startsWith("gnupg-")) {
            builder.environment().put("GNUPGHOME", directory.toString());
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
        return output;
    }
}

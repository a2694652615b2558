package dev.plumb.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code facts.packages}, read from dpkg's own database as dpkg-query would report it. */
class InstalledPackagesTest {

    /** Debian 12's status file, three stanzas captured and two added by hand (an i386 libc6, a removed package). */
    private static final Path CAPTURED = Path.of("src/test/resources/captured/dpkg/status");

    @TempDir
    Path dir;

    private static Map<String, Map<String, String>> captured(String nativeArch) throws IOException {
        return InstalledPackages.read(CAPTURED, nativeArch).orElseThrow();
    }

    @Test
    void installedPackagesHaveTheirVersionAndArchitecture() throws IOException {
        assertThat(captured("amd64")).containsOnlyKeys("base-files", "libc6", "openssh-client")
                .containsEntry("openssh-client", Map.of("version", "1:9.2p1-2+deb12u10", "arch", "amd64"))
                .containsEntry("base-files", Map.of("version", "12.4+deb12u11", "arch", "amd64"));
    }

    @Test
    void aPackageRemovedWithItsConfigurationKeptIsNotInstalled() throws IOException {
        assertThat(captured("amd64")).doesNotContainKey("nginx-common");
    }

    @Test
    void aPackageOfTwoArchitecturesIsGivenForTheHostsOwn() throws IOException {
        assertThat(captured("amd64").get("libc6")).isEqualTo(Map.of("version", "2.36-9+deb12u14", "arch", "amd64"));
        assertThat(captured("i386").get("libc6")).isEqualTo(Map.of("version", "2.36-9+deb12u13", "arch", "i386"));
    }

    @Test
    void aLastStanzaWithoutItsNewlineIsRead() {
        assertThat(InstalledPackages.parse("Package: a\nStatus: install ok installed\nArchitecture: all\nVersion: 1",
                "amd64")).containsEntry("a", Map.of("version", "1", "arch", "all"));
    }

    @Test
    void aHostWithoutDpkgHasNoPackages() throws IOException {
        assertThat(InstalledPackages.read(dir.resolve("status"), "amd64")).isEmpty();
    }

    @Test
    void thisHostsPackagesAreThoseDpkgQueryReports() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dpkg-query")), "dpkg-query is not installed here");
        Process query = new ProcessBuilder("dpkg-query", "-W", "-f",
                "${db:Status-Status} ${Package} ${Architecture} ${Version}\\n").redirectErrorStream(true).start();
        String nativeArch = new String(new ProcessBuilder("dpkg", "--print-architecture").start().getInputStream()
                .readAllBytes(), StandardCharsets.UTF_8).strip();
        Map<String, String> expected = new TreeMap<>();
        for (String line : new String(query.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            String[] fields = line.split(" ");
            if (fields.length == 4 && fields[0].equals("installed")
                    && (!expected.containsKey(fields[1]) || fields[2].equals(nativeArch))) {
                expected.put(fields[1], fields[3]);
            }
        }
        assertThat(query.waitFor()).isZero();

        Map<String, String> read = new TreeMap<>();
        InstalledPackages.read(Path.of("/var/lib/dpkg/status"), nativeArch).orElseThrow()
                .forEach((name, fields) -> read.put(name, fields.get("version")));

        assertThat(read).isNotEmpty().isEqualTo(expected);
    }
}

package dev.plumb.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.plumb.testhosts.CommandOutput;
import dev.plumb.testhosts.SystemdHost;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code facts.virtualization}, named as systemd-detect-virt names it. */
class VirtualizationTest {

    @TempDir
    Path root;

    private void write(String file, String content) throws IOException {
        Files.createDirectories(root.resolve(file).getParent());
        Files.writeString(root.resolve(file), content);
    }

    private Map<String, Object> detected() {
        return new Virtualization(root).detect();
    }

    @Test
    void aMachineWithNothingVirtualIsAHost() throws IOException {
        write("proc/cpuinfo", "processor\t: 0\nflags\t\t: fpu vme sse2\n");

        assertThat(detected()).isEqualTo(Map.of("type", "none", "role", "host", "container", "none", "vm", "none"));
    }

    @Test
    void anNspawnContainerIsNamedByWhatSystemdWroteForIt() throws IOException {
        write("run/systemd/container", "systemd-nspawn\n");
        write(".dockerenv", "");

        assertThat(detected()).containsEntry("type", "systemd-nspawn").containsEntry("role", "guest");
    }

    @Test
    void aDockerContainerOnAKvmGuestIsADockerGuest() throws IOException {
        write(".dockerenv", "");
        write("sys/class/dmi/id/sys_vendor", "QEMU\n");
        write("sys/class/dmi/id/product_name", "KVM\n");

        assertThat(detected()).isEqualTo(Map.of("type", "docker", "role", "guest", "container", "docker", "vm", "kvm"));
    }

    @Test
    void aVirtualMachineIsNamedByItsFirmwareElseByTheCpuFlag() throws IOException {
        write("sys/class/dmi/id/sys_vendor", "VMware, Inc.\n");
        assertThat(detected()).containsEntry("type", "vmware").containsEntry("role", "guest");

        Files.delete(root.resolve("sys/class/dmi/id/sys_vendor"));
        write("proc/cpuinfo", "processor\t: 0\nflags\t\t: fpu sse2 hypervisor lahf_lm\n");
        assertThat(detected()).containsEntry("vm", "vm-other").containsEntry("type", "vm-other");
    }

    @Test
    void thisMachineIsWhatSystemdDetectVirtSays() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-detect-virt")), "systemd-detect-virt is not installed here");
        Process container = new ProcessBuilder("systemd-detect-virt", "--container").start();
        String expected = new String(container.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        container.waitFor();

        assertThat(new Virtualization(Path.of("/")).detect()).containsEntry("container", expected)
                .containsEntry("role", expected.equals("none") ? "host" : "guest");
    }

    @Test
    void aSystemdNspawnHostIsWhatSystemdDetectVirtSaysThere() throws Exception {
        SystemdHost.assumeBootable();
        try (SystemdHost host = SystemdHost.boot("plumbtest-virt")) {
            CommandOutput detected = host.exec("systemd-detect-virt", "--container");

            assertThat(detected.output().strip()).isEqualTo("systemd-nspawn");
            assertThat(new Virtualization(host.root()).detect()).containsEntry("container", "systemd-nspawn")
                    .containsEntry("type", "systemd-nspawn").containsEntry("role", "guest");
        }
    }
}

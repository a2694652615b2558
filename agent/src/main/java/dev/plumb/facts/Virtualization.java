package dev.plumb.facts;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the host runs in, as {@code systemd-detect-virt} names it: {@code facts.virtualization.container} (docker,
 * podman, lxc, systemd-nspawn, wsl, ... or none), {@code .vm} (kvm, qemu, vmware, oracle, xen, microsoft, amazon,
 * ..., vm-other when only the CPU says it is virtual, or none), {@code .type} (the container if any, else the
 * VM, else none) and {@code .role} (guest or host). Read from files only: no process is started.
 */
final class Virtualization {

    /** DMI vendor and product names, lower case, and the VM each means, in systemd's order. */
    private static final List<Map.Entry<String, String>> DMI_VENDORS = List.of(Map.entry("kvm", "kvm"),
            Map.entry("amazon ec2", "amazon"), Map.entry("qemu", "qemu"), Map.entry("vmware", "vmware"),
            Map.entry("innotek gmbh", "oracle"), Map.entry("virtualbox", "oracle"),
            Map.entry("oracle corporation", "oracle"),
            Map.entry("xen", "xen"), Map.entry("bochs", "bochs"), Map.entry("parallels", "parallels"),
            Map.entry("bhyve", "bhyve"), Map.entry("google", "google"), Map.entry("microsoft corporation", "microsoft"));
    /** Words in /proc/self/cgroup that tell a container manager, when nothing more direct does. */
    private static final List<Map.Entry<String, String>> CGROUP_HINTS = List.of(Map.entry("/docker", "docker"),
            Map.entry("/kubepods", "kubernetes"), Map.entry("/lxc", "lxc"), Map.entry("libpod", "podman"),
            Map.entry(".scope/payload", "systemd-nspawn"));

    private final Path root;

    Virtualization(Path root) {
        this.root = root;
    }

    Map<String, Object> detect() {
        String container = container();
        String vm = vm();
        Map<String, Object> facts = new TreeMap<>();
        facts.put("container", container);
        facts.put("vm", vm);
        facts.put("type", !container.equals("none") ? container : vm);
        facts.put("role", container.equals("none") && vm.equals("none") ? "host" : "guest");
        return facts;
    }

    /** As systemd's detect_container: what the manager wrote for us, then the files container engines leave. */
    private String container() {
        if (Files.isDirectory(root.resolve("proc/vz")) && !Files.isDirectory(root.resolve("proc/bc"))) {
            return "openvz";
        }
        String osRelease = read("proc/sys/kernel/osrelease").toLowerCase(Locale.ROOT);
        if (osRelease.contains("microsoft") || osRelease.contains("wsl")) {
            return "wsl";
        }
        for (String file : List.of("run/host/container-manager", "run/systemd/container")) {
            String manager = read(file).strip();
            if (!manager.isEmpty()) {
                return manager.equals("oci") ? "container-other" : manager;
            }
        }
        for (String variable : read("proc/1/environ").split("\0")) {
            if (variable.startsWith("container=") && variable.length() > "container=".length()) {
                return variable.substring("container=".length());
            }
        }
        if (Files.exists(root.resolve(".dockerenv"))) {
            return "docker";
        }
        if (Files.exists(root.resolve("run/.containerenv"))) {
            return "podman";
        }
        String cgroup = read("proc/self/cgroup");
        for (Map.Entry<String, String> hint : CGROUP_HINTS) {
            if (cgroup.contains(hint.getKey())) {
                return hint.getValue();
            }
        }
        return "none";
    }

    /** As systemd's detect_vm, without CPUID, which Java cannot ask: DMI, Xen's own file, then the CPU's flag. */
    private String vm() {
        for (String file : List.of("sys/class/dmi/id/product_name", "sys/class/dmi/id/sys_vendor",
                "sys/class/dmi/id/board_vendor", "sys/class/dmi/id/bios_vendor")) {
            String vendor = read(file).strip().toLowerCase(Locale.ROOT);
            for (Map.Entry<String, String> known : DMI_VENDORS) {
                if (vendor.startsWith(known.getKey())) {
                    return known.getValue();
                }
            }
        }
        if (read("sys/hypervisor/type").strip().equals("xen")) {
            return "xen";
        }
        String clock = read("sys/devices/system/clocksource/clocksource0/current_clocksource").strip();
        if (clock.equals("kvm-clock")) {
            return "kvm";
        }
        if (clock.startsWith("hyperv")) {
            return "microsoft";
        }
        return cpuFlags().contains(" hypervisor ") ? "vm-other" : "none";
    }

    /** The flags of the first CPU in /proc/cpuinfo, space-delimited on both sides. */
    private String cpuFlags() {
        try (BufferedReader lines = Files.newBufferedReader(root.resolve("proc/cpuinfo"), StandardCharsets.ISO_8859_1)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("flags")) {
                    return " " + line.substring(line.indexOf(':') + 1).strip() + " ";
                }
            }
        } catch (IOException e) {
            // As a file that is not there: no flags.
        }
        return "";
    }

    /** The file's text, or nothing when it is missing or unreadable (a non-root user cannot read PID 1's environment). */
    private String read(String file) {
        try {
            return Files.readString(root.resolve(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }
}

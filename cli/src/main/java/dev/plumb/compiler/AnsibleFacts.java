package dev.plumb.compiler;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A host's facts under the names Ansible gives them, so that templates ported from Ansible roles work unchanged:
 * {@code ansible_facts.os_family} and {@code ansible_os_family}, {@code ansible_distribution_major_version},
 * {@code ansible_processor_vcpus}, ... Each is derived from plumb's own facts; one plumb has no source for is absent
 * (and undefined in a template, as any unknown name). {@code ansible_local} holds {@code /etc/plumb/facts.d}'s facts,
 * as Ansible's holds those of its own facts.d.
 */
final class AnsibleFacts {

    /** Ansible's {@code distribution} for an os-release {@code ID}; others are the ID capitalised. */
    private static final Map<String, String> DISTRIBUTIONS = Map.ofEntries(Map.entry("debian", "Debian"),
            Map.entry("ubuntu", "Ubuntu"), Map.entry("centos", "CentOS"), Map.entry("rhel", "RedHat"),
            Map.entry("fedora", "Fedora"), Map.entry("rocky", "Rocky"), Map.entry("almalinux", "AlmaLinux"),
            Map.entry("alpine", "Alpine"), Map.entry("arch", "Archlinux"), Map.entry("amzn", "Amazon"),
            Map.entry("opensuse-leap", "openSUSE Leap"), Map.entry("sles", "SLES"), Map.entry("linuxmint", "Linux Mint"));
    /** Ansible's {@code os_family} for the first word of os-release's {@code ID_LIKE} (else {@code ID}). */
    private static final Map<String, String> FAMILIES = Map.of("debian", "Debian", "ubuntu", "Debian", "rhel", "RedHat",
            "fedora", "RedHat", "centos", "RedHat", "suse", "Suse", "opensuse", "Suse", "arch", "Archlinux",
            "alpine", "Alpine");
    private static final Map<String, String> PACKAGE_MANAGERS = Map.of("Debian", "apt", "RedHat", "dnf", "Suse", "zypper",
            "Archlinux", "pacman", "Alpine", "apk");

    private AnsibleFacts() {
    }

    /** {@code facts} as Ansible names them, without the {@code ansible_} prefix ({@code ansible_facts} holds these). */
    static Map<String, Object> of(Map<String, Object> facts) {
        Map<String, Object> ansible = new TreeMap<>();
        put(ansible, "hostname", facts.get("hostname"));
        put(ansible, "nodename", facts.get("hostname"));
        put(ansible, "fqdn", facts.get("fqdn"));
        put(ansible, "kernel", facts.get("kernel"));
        put(ansible, "architecture", facts.get("architecture"));
        put(ansible, "machine", facts.get("architecture"));
        put(ansible, "processor_vcpus", facts.get("cpus"));
        put(ansible, "memtotal_mb", facts.get("memory_mb"));
        if (facts.get("os") instanceof Map<?, ?> os) {
            String id = text(os.get("id"));
            String like = os.get("family") != null ? text(os.get("family")) : id;
            String family = like == null ? null : FAMILIES.containsKey(like) ? FAMILIES.get(like)
                    : id != null && FAMILIES.containsKey(id) ? FAMILIES.get(id) : capitalised(like);
            put(ansible, "distribution", id == null ? null : DISTRIBUTIONS.getOrDefault(id, capitalised(id)));
            put(ansible, "os_family", family);
            put(ansible, "pkg_mgr", family == null ? null : PACKAGE_MANAGERS.get(family));
            String version = text(os.get("version_id"));
            put(ansible, "distribution_version", version);
            put(ansible, "distribution_major_version", version == null ? null : version.split("\\.")[0]);
            put(ansible, "distribution_release", os.get("version_codename"));
        }
        if (facts.get("ip_addresses") instanceof List<?> addresses) {
            List<String> ipv4 = addresses.stream().map(String::valueOf).filter(a -> !a.contains(":")).toList();
            ansible.put("all_ipv4_addresses", ipv4);
            ansible.put("all_ipv6_addresses", addresses.stream().map(String::valueOf).filter(a -> a.contains(":")).toList());
            if (!ipv4.isEmpty()) {
                ansible.put("default_ipv4", Map.of("address", ipv4.get(0)));
            }
        }
        put(ansible, "service_mgr", "sysv".equals(facts.get("init_system")) ? "sysvinit" : facts.get("init_system"));
        ansible.put("system", "Linux");
        if (facts.get("virtualization") instanceof Map<?, ?> virtualization) {
            // Ansible says NA where nothing virtual was found; plumb says none (type) and host (role).
            boolean found = "guest".equals(virtualization.get("role"));
            put(ansible, "virtualization_type", found ? virtualization.get("type") : "NA");
            put(ansible, "virtualization_role", found ? "guest" : "NA");
        }
        put(ansible, "local", facts.get("custom"));
        if (facts.get("packages") instanceof Map<?, ?> packages) {
            ansible.put("packages", packagesAsAnsible(packages));
        }
        return ansible;
    }

    /**
     * The installed packages in package_facts' shape: each name to a list (one entry per installed architecture, of
     * which plumb keeps one) of {@code {name, version, arch, source}}.
     */
    private static Map<String, Object> packagesAsAnsible(Map<?, ?> packages) {
        Map<String, Object> ansible = new TreeMap<>();
        packages.forEach((name, installed) -> {
            if (installed instanceof Map<?, ?> fields) {
                ansible.put(name.toString(), List.of(Map.of("name", name, "version", fields.get("version"),
                        "arch", fields.get("arch"), "source", "apt")));
            }
        });
        return ansible;
    }

    private static void put(Map<String, Object> ansible, String name, Object value) {
        if (value != null) {
            ansible.put(name, value);
        }
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static String capitalised(String text) {
        return text == null || text.isEmpty() ? text : text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
    }
}

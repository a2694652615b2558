package dev.plumb.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.facts.Facts;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Templates ported from Ansible roles use Ansible's fact names; they get them, derived from the host's facts. */
class AnsibleFactsTest {

    @TempDir
    Path dir;

    private static final Map<String, Object> DEBIAN_12 = Map.of("hostname", "web1", "fqdn", "web1.example.net",
            "cpus", 4, "memory_mb", 7980, "architecture", "x86_64", "init_system", "systemd",
            "ip_addresses", List.of("10.0.0.11", "fe80::1"),
            "os", Map.of("id", "debian", "family", "debian", "version_id", "12", "version_codename", "bookworm"));

    private String render(String template, Map<String, Object> facts) throws CompileException {
        new ProjectFiles(dir).write("templates/t.j2", template).role("resources:\n  - file: /tmp/t\n    template: t.j2\n");
        return (String) new Compiler(ProjectLoader.load(dir)).compile("local", Map.of(), facts).catalog().resources().get(0)
                .attributes().get("content");
    }

    @Test
    void aPortedTemplateSeesAnsiblesNamesForTheHostsFacts() throws Exception {
        assertThat(render("{{ ansible_os_family }} {{ ansible_distribution }} {{ ansible_distribution_major_version }}"
                + " {{ ansible_distribution_release }} {{ ansible_facts.os_family }} {{ ansible_facts['pkg_mgr'] }}"
                + " {{ ansible_processor_vcpus }} {{ ansible_memtotal_mb }} {{ ansible_hostname }} {{ ansible_fqdn }}"
                + " {{ ansible_default_ipv4.address }} {{ ansible_all_ipv6_addresses | join(',') }} {{ ansible_service_mgr }}",
                DEBIAN_12)).isEqualTo("Debian Debian 12 bookworm Debian apt 4 7980 web1 web1.example.net 10.0.0.11 fe80::1 systemd");
    }

    @Test
    void theProjectsOwnVariablesWinOverAnsiblesNames() throws Exception {
        new ProjectFiles(dir).write("templates/t.j2", "{{ ansible_hostname }}")
                .role("vars: { ansible_hostname: named-by-the-project }\nresources:\n  - file: /tmp/t\n    template: t.j2\n");

        assertThat(new Compiler(ProjectLoader.load(dir)).compile("local", Map.of(), DEBIAN_12).catalog().resources().get(0)
                .attributes().get("content")).isEqualTo("named-by-the-project");
    }

    @Test
    void packagesVirtualisationAndFactsDHaveAnsiblesNamesAndShapes() throws Exception {
        Map<String, Object> facts = new HashMap<>(DEBIAN_12);
        facts.put("packages", Map.of("nginx", Map.of("version", "1.22.1-9", "arch", "amd64")));
        facts.put("virtualization", Map.of("type", "docker", "role", "guest", "container", "docker", "vm", "none"));
        facts.put("custom", Map.of("rack", Map.of("row", 4)));

        assertThat(render("{{ ansible_facts.packages['nginx'][0].version }} {{ ansible_facts.packages.nginx | length }}"
                + " {{ ansible_facts.packages.nginx[0].source }} {{ ansible_virtualization_type }}"
                + " {{ ansible_virtualization_role }} {{ ansible_local.rack.row }}", facts))
                .isEqualTo("1.22.1-9 1 apt docker guest 4");
    }

    @Test
    void aHostWithNothingVirtualIsNotApplicableToAnsible() throws Exception {
        Map<String, Object> facts = new HashMap<>(DEBIAN_12);
        facts.put("virtualization", Map.of("type", "none", "role", "host", "container", "none", "vm", "none"));

        assertThat(render("{{ ansible_virtualization_type }} {{ ansible_virtualization_role }}", facts)).isEqualTo("NA NA");
    }

    @Test
    void thisMachinesFactsGiveTheNamesEveryPortedRoleReads() throws Exception {
        assertThat(render("{{ ansible_os_family }}|{{ ansible_distribution_major_version }}|{{ ansible_processor_vcpus }}",
                Facts.ofThisHost())).matches("Debian\\|\\d+\\|\\d+");
    }
}

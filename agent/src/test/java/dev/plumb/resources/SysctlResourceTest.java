package dev.plumb.resources;

import static dev.plumb.Fixtures.catalog;
import static dev.plumb.Fixtures.instantiate;
import static dev.plumb.Fixtures.resource;
import static dev.plumb.Fixtures.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.plumb.Fixtures;
import dev.plumb.agent.BuiltInTypes;
import dev.plumb.api.Action;
import dev.plumb.api.AttributeSchema;
import dev.plumb.api.Change;
import dev.plumb.api.Diagnostic;
import dev.plumb.catalog.CatalogResource;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.ResourceResult;
import dev.plumb.catalog.RunReport;
import dev.plumb.catalog.Status;
import dev.plumb.engine.Engine;
import dev.plumb.system.ProcessCommandRunner;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code sysctl} type. Applies run in real agents inside a network namespace of their own, whose network keys
 * start at the kernel's defaults and die with it, with a tmpfs over /etc/sysctl.d: this machine's settings are never
 * touched. Plans only read, so they run here.
 */
class SysctlResourceTest {

    private static final String PORT_RANGE = "net.ipv4.ip_local_port_range";
    private static final String PERSISTED = "/etc/sysctl.d/99-zz-plumb-" + PORT_RANGE + ".conf";

    @TempDir
    Path work;

    private static CatalogResource sysctl(String key, Object... attributes) {
        return resource("sysctl", key, with(Map.of(), attributes));
    }

    /** Runs the agents inside fresh namespaces, recording the live value and the persisted files at the end. */
    private List<RunReport> inNamespace(AgentInNamespaces agents) throws Exception {
        return agents.run("mount -t tmpfs plumbtest /etc/sysctl.d",
                "cat /proc/sys/net/ipv4/ip_local_port_range > " + AgentInNamespaces.quoted(work.resolve("live").toString())
                        + "\ncat /etc/sysctl.d/* > " + AgentInNamespaces.quoted(work.resolve("persisted").toString())
                        + " 2>/dev/null || true");
    }

    private static ResourceResult result(RunReport report) {
        return report.resources().get(0);
    }

    @Test
    void setsTheValueNowKeepsItForTheNextBootAndASecondApplyChangesNothing() throws Exception {
        CatalogResource range = sysctl(PORT_RANGE, "value", "20000   40000");

        List<RunReport> reports = inNamespace(new AgentInNamespaces(work)
                .then(Mode.APPLY, catalog(range)).then(Mode.APPLY, catalog(range)));

        ResourceResult first = result(reports.get(0));
        assertThat(first.status()).as(first.error()).isEqualTo(Status.CHANGED);
        assertThat(first.changes()).extracting(Change.Entry::action, Change.Entry::attribute, Change.Entry::before,
                Change.Entry::after).containsExactly(
                        tuple(Action.CHANGE, "value", "32768 60999", "20000 40000"),
                        tuple(Action.CREATE, "ensure", null, "file"));
        assertThat(first.details().get(1)).isEqualTo(PERSISTED + ": create file, mode 0644");
        assertThat(Files.readString(work.resolve("live"))).isEqualTo("20000\t40000\n");
        assertThat(Files.readString(work.resolve("persisted"))).isEqualTo(PORT_RANGE + " = 20000 40000\n");
        assertThat(result(reports.get(1)).status()).as(result(reports.get(1)).error()).isEqualTo(Status.IN_SYNC);
    }

    @Test
    void aValueTheKernelRefusesFailsAndIsNotKept() throws Exception {
        List<RunReport> reports = inNamespace(new AgentInNamespaces(work)
                .then(Mode.APPLY, catalog(sysctl(PORT_RANGE, "value", "40000 20000"))));

        ResourceResult refused = result(reports.get(0));
        assertThat(refused.status()).isEqualTo(Status.FAILED);
        assertThat(refused.error()).isEqualTo("the kernel refused '40000 20000' for " + PORT_RANGE
                + " (/proc/sys/net/ipv4/ip_local_port_range): Invalid argument");
        assertThat(Files.readString(work.resolve("live"))).isEqualTo("32768\t60999\n");
        assertThat(work.resolve("persisted")).isEmptyFile();
    }

    @Test
    void anAbsentSysctlRemovesItsFileAndLeavesTheValueInForce() throws Exception {
        List<RunReport> reports = inNamespace(new AgentInNamespaces(work)
                .then(Mode.APPLY, catalog(sysctl(PORT_RANGE, "value", "20000 40000")))
                .then(Mode.APPLY, catalog(sysctl(PORT_RANGE, "ensure", "absent"))));

        assertThat(result(reports.get(1)).details()).as(result(reports.get(1)).error())
                .containsExactly(PERSISTED + ": remove file");
        assertThat(Files.readString(work.resolve("live"))).isEqualTo("20000\t40000\n");
        assertThat(work.resolve("persisted")).isEmptyFile();
    }

    @Test
    void aPlanComparesWithTheValueInForceAndAnUnknownKeyIsNamedWithTheClosestOne() throws Exception {
        String live;
        try (InputStream in = Files.newInputStream(Path.of("/proc/sys", PORT_RANGE.replace('.', '/')))) {
            live = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
        }
        RunReport plan = plan(sysctl(PORT_RANGE, "value", live), sysctl("net.ipv4.ip_forwad", "value", "1"));

        ResourceResult same = plan.resources().get(0);
        assertThat(same.changes()).extracting(Change.Entry::attribute).as(same.error()).doesNotContain("value");
        ResourceResult unknown = plan.resources().get(1);
        assertThat(unknown.status()).isEqualTo(Status.FAILED);
        assertThat(unknown.error()).isEqualTo("the kernel has no key net.ipv4.ip_forwad (/proc/sys/net/ipv4/ip_forwad "
                + "does not exist); 'sysctl -a' lists the keys, and a module may have to be loaded first; did you mean "
                + "'net.ipv4.ip_forward'?");
    }

    private RunReport plan(CatalogResource... resources) throws Exception {
        try (Engine engine = new Engine(Fixtures.context(new ProcessCommandRunner(), work.resolve("backups")),
                BuiltInTypes.REGISTRY, 2, Clock.systemUTC())) {
            return engine.run(catalog(resources), Mode.PLAN);
        }
    }

    @Test
    void validationNamesEachBrokenAttribute() {
        assertThat(problems("net..x/../y", Map.of("ensure", "presnt", "value", "a\nb"))).containsExactly(
                Diagnostic.ofAttribute("name", "'net..x/../y' is not a sysctl key; expected words of letters, digits, _ "
                        + "and - joined by dots, such as net.ipv4.ip_forward"),
                Diagnostic.ofAttribute("ensure", "'presnt' is not one of present, absent; did you mean 'present'?"),
                Diagnostic.ofAttribute("value", "holds a newline; a sysctl file takes one line per key"));
        assertThat(problems("vm.swappiness", Map.of())).containsExactly(
                Diagnostic.ofAttribute("value", "is required: the value the key takes, such as 1"));
        assertThat(problems("vm.swappiness", Map.of("ensure", "absent", "value", "1"))).containsExactly(
                Diagnostic.ofAttribute("value", "has no meaning for a sysctl that is absent"));
        assertThat(problems("vm.swappiness", Map.of("value", "10"))).isEmpty();
    }

    @Test
    void theSchemaDocumentsEveryAttribute() {
        assertThat(ResourceTypes.REGISTRY.schema("sysctl").attributes())
                .extracting(AttributeSchema::name, AttributeSchema::defaultValue)
                .containsExactly(tuple("ensure", "present"), tuple("value", ""));
    }

    private static List<Diagnostic> problems(String name, Map<String, Object> attributes) {
        return ((SysctlResource) instantiate("sysctl", name, attributes)).validate();
    }
}

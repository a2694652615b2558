package dev.plumb.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.agent.BuiltInTypes;
import dev.plumb.catalog.Catalog;
import dev.plumb.catalog.CatalogResource;
import dev.plumb.catalog.HostInfo;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.RunReport;
import dev.plumb.catalog.Status;
import dev.plumb.compiler.CompiledCatalog;
import dev.plumb.compiler.Project;
import dev.plumb.compiler.SshSettings;
import dev.plumb.compiler.SourceMap;
import dev.plumb.engine.Engine;
import dev.plumb.facts.FactRequest;
import dev.plumb.facts.Facts;
import dev.plumb.system.Hashing;
import dev.plumb.transport.ssh.SshTransport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransportsTest {

    @TempDir
    Path dir;

    private static Project.Host host(String name, boolean local, String address) {
        return new Project.Host(name, local, local ? null : new SshSettings(address, null, null, null, null),
                List.of("all"), "dev", Map.of(), null);
    }

    @Test
    void aLocalHostHasThisMachinesFactsAndRunsItsCatalogHere() throws Exception {
        Path motd = dir.resolve("motd");
        Catalog catalog = new Catalog(Catalog.VERSION, new HostInfo("local", "dev", List.of()), List.of(
                new CatalogResource("file", motd.toString(), List.of(), List.of(), Map.of("content", "hello\n",
                        "sha256", Hashing.sha256("hello\n".getBytes(StandardCharsets.UTF_8))))));

        try (Transports transports = new Transports(SshOptions.defaults(null))) {
            Transport local = transports.forHost(host("local", true, null));
            local.begin(new RunOptions(Mode.APPLY, true, dir.resolve("state"), Duration.ZERO));
            RunReport report = local.run(new CompiledCatalog(catalog, new SourceMap(Map.of(), Map.of()),
                    Engine.prepare(catalog, BuiltInTypes.REGISTRY)));

            assertThat(local.facts()).containsOnlyKeys(Facts.ofThisHost(FactRequest.NONE).keySet())
                    .containsEntry("hostname", Facts.ofThisHost().get("hostname"));
            assertThat(report.resources()).singleElement().extracting(r -> r.status()).isEqualTo(Status.CHANGED);
            assertThat(motd).hasContent("hello");
        }
    }

    @Test
    void aHostAtAnAddressGetsOneSshTransportForTheWholeRun() {
        try (Transports transports = new Transports(SshOptions.defaults(null))) {
            Project.Host web1 = host("web1", false, "192.0.2.10");

            assertThat(transports.forHost(web1)).isInstanceOf(SshTransport.class).isSameAs(transports.forHost(web1));
            assertThat(transports.forHost(host("local", true, null))).isSameAs(transports.forHost(host("here", true, null)));
        }
    }
}

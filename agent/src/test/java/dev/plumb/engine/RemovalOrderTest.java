package dev.plumb.engine;

import dev.plumb.agent.BuiltInTypes;
import static dev.plumb.Fixtures.catalog;
import static dev.plumb.Fixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.catalog.CatalogResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Removal runs the dependencies in reverse: what needs a resource that is being removed is done with it first.
 * The order is the engine's run order; each assertion says which of two comes first.
 */
class RemovalOrderTest {

    private static List<String> order(CatalogResource... resources) throws InvalidCatalogException {
        return Engine.prepare(catalog(resources), BuiltInTypes.REGISTRY).order();
    }

    private static void assertBefore(List<String> order, String first, String second) {
        assertThat(order.indexOf(first)).as(first + " before " + second + " in " + order).isLessThan(order.indexOf(second));
    }

    @Test
    void aServiceStopsBeforeItsPackageIsPurgedThoughThePackageIsDeclaredFirst() throws Exception {
        List<String> order = order(resource("package", "plumb-demo", Map.of("ensure", "purged")),
                resource("service", "plumb-demo", Map.of("running", false, "enabled", false)));

        assertThat(order).containsExactly("service:plumb-demo", "package:plumb-demo");
    }

    @Test
    void aServiceStartsAfterItsPackageIsInstalled() throws Exception {
        List<String> order = order(resource("service", "nginx", Map.of("running", true)), resource("package", "nginx", Map.of()));

        assertThat(order).containsExactly("package:nginx", "service:nginx");
    }

    @Test
    void aUserIsRemovedBeforeItsGroupAndWhatItOwnsBeforeTheUser() throws Exception {
        List<String> order = order(resource("group", "app", Map.of("ensure", "absent")),
                resource("user", "app", Map.of("ensure", "absent", "group", "app")),
                resource("directory", "/var/lib/app", Map.of("ensure", "absent", "owner", "app", "group", "app")),
                resource("cron", "report", Map.of("ensure", "absent", "user", "app", "schedule", "@daily", "command", "true")));

        assertBefore(order, "user:app", "group:app");
        assertBefore(order, "directory:/var/lib/app", "user:app");
        assertBefore(order, "cron:report", "user:app");
    }

    @Test
    void aUserIsCreatedAfterItsGroup() throws Exception {
        List<String> order = order(resource("user", "app", Map.of("group", "app")), resource("group", "app", Map.of()));

        assertThat(order).containsExactly("group:app", "user:app");
    }

    @Test
    void whatRequiresARemovedResourceExplicitlyOrByItsPathGoesFirst() throws Exception {
        List<String> order = order(resource("directory", "/etc/app", Map.of("ensure", "absent")),
                resource("file", "/etc/app/app.conf", Map.of("ensure", "absent")),
                resource("exec", "drain", List.of("file:/etc/app/app.conf"), List.of(), Map.of("command", "true")));

        assertBefore(order, "file:/etc/app/app.conf", "directory:/etc/app");
        assertBefore(order, "exec:drain", "file:/etc/app/app.conf");
    }

    @Test
    void aNotificationKeepsItsDirectionSoThatARemovedResourceStillNotifies() throws Exception {
        Engine.Prepared prepared = Engine.prepare(catalog(
                resource("file", "/etc/app/app.conf", List.of(), List.of("service:app"), Map.of("ensure", "absent")),
                resource("service", "app", List.of("file:/etc/app/app.conf"), List.of(), Map.of("running", true))),
                BuiltInTypes.REGISTRY);

        assertThat(prepared.order()).containsExactly("file:/etc/app/app.conf", "service:app");
        assertThat(prepared.graph().notifiersOf("service:app")).containsExactly("file:/etc/app/app.conf");
    }

    @Test
    void theServiceExampleTurnedOffStopsTheDaemonBeforeRemovingWhatItUses() throws Exception {
        List<String> order = order(resource("group", "plumb-demo", Map.of("ensure", "absent", "system", true)),
                resource("user", "plumb-demo", Map.of("ensure", "absent", "group", "plumb-demo", "system", true)),
                resource("package", "plumb-demo", Map.of("ensure", "purged")),
                resource("directory", "/etc/plumb-demo", Map.of("ensure", "absent")),
                resource("file", "/etc/plumb-demo/demo.conf", List.of(), List.of("service:plumb-demo"), Map.of("ensure", "absent")),
                resource("directory", "/var/lib/plumb-demo",
                        Map.of("ensure", "absent", "owner", "plumb-demo", "group", "plumb-demo")),
                resource("service", "plumb-demo", List.of("file:/etc/plumb-demo/demo.conf", "directory:/var/lib/plumb-demo"),
                        List.of(), Map.of("running", false, "enabled", false)),
                resource("cron", "demo-report", Map.of("ensure", "absent", "user", "plumb-demo", "schedule", "@daily",
                        "command", "true")));

        for (String removed : List.of("package:plumb-demo", "directory:/var/lib/plumb-demo", "user:plumb-demo", "group:plumb-demo")) {
            assertBefore(order, "service:plumb-demo", removed);
        }
        assertBefore(order, "user:plumb-demo", "group:plumb-demo");
    }
}

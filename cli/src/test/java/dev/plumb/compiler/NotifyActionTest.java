package dev.plumb.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.plumb.api.Diagnostic;
import dev.plumb.api.RefreshAction;
import dev.plumb.catalog.Catalog;
import dev.plumb.catalog.CatalogResource;
import dev.plumb.catalog.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A notifier may ask a service for a restart or a reload, as {@code notify: "reload service:nginx"}: the catalog
 * carries the action, typed, beside the plain id; asking for something no resource does is an error at its place.
 */
class NotifyActionTest {

    @TempDir
    Path dir;

    private Catalog compile(String role) throws CompileException {
        new ProjectFiles(dir).role(role);
        return new Compiler(ProjectLoader.load(dir)).compile("local", Map.of(), Map.of()).catalog();
    }

    private List<String> problems(String role) {
        new ProjectFiles(dir).role(role);
        Throwable thrown = catchThrowable(
                () -> new Compiler(ProjectLoader.load(dir)).compile("local", Map.of(), Map.of()));
        assertThat(thrown).isInstanceOf(CompileException.class);
        return ((CompileException) thrown).problems().stream().map(Diagnostic::toString).toList();
    }

    private static CatalogResource resource(Catalog catalog, String id) {
        return catalog.resources().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void anActionBeforeTheIdIsAskedOfThatResourceAlone() throws Exception {
        Catalog catalog = compile("""
                resources:
                  - file: /etc/nginx/sites-enabled/shop
                    content: "server {}"
                    notify: ["reload service:nginx", exec:log-change]
                  - file: /etc/nginx/nginx.conf
                    content: "events {}"
                    notify: service:nginx
                  - service: nginx
                    running: true
                  - exec: log-change
                    command: /bin/true
                    refreshonly: true
                """);

        CatalogResource site = resource(catalog, "file:/etc/nginx/sites-enabled/shop");
        assertThat(site.notifies()).containsExactly("service:nginx", "exec:log-change");
        assertThat(site.notifyActions()).isEqualTo(Map.of("service:nginx", RefreshAction.RELOAD));
        assertThat(resource(catalog, "file:/etc/nginx/nginx.conf").notifyActions()).isEmpty();
        String json = Json.MAPPER.writeValueAsString(catalog);
        assertThat(json).containsOnlyOnce("\"notifyActions\"").contains("\"service:nginx\" : \"RELOAD\"");
        assertThat(Json.MAPPER.readValue(json, Catalog.class)).isEqualTo(catalog);
    }

    @Test
    void aMisspeltActionIsNamedWithTheActionsThereAre() {
        assertThat(problems("""
                resources:
                  - file: /etc/app.conf
                    content: "x"
                    notify: "reolad service:app"
                  - service: app
                """)).containsExactly("roles/main.yaml:4:13: notify: 'reolad' is not an action to ask of service:app; "
                + "expected one of restart, reload; did you mean 'reload'?");
    }

    @Test
    void anExecCannotBeAskedToReload() {
        assertThat(problems("""
                resources:
                  - file: /etc/app.conf
                    content: "x"
                    notify: "reload exec:apply-config"
                  - exec: apply-config
                    refreshonly: true
                """)).singleElement().asString().endsWith("notify: exec[apply-config] cannot be asked to reload; it "
                + "refreshes in its own way only: write exec:apply-config without 'reload'");
    }

    @Test
    void requiresTakesNoAction() {
        assertThat(problems("""
                resources:
                  - file: /etc/app.conf
                    content: "x"
                    requires: "reload service:app"
                  - service: app
                """)).singleElement().asString().contains("requires: 'reload service:app' is not a resource id; "
                + "expected type:name such as file:/etc/motd");
    }
}

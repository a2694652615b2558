package dev.plumb.checks;

import dev.plumb.api.Attribute;
import dev.plumb.api.Check;
import dev.plumb.api.CheckContext;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.ResourceException;
import dev.plumb.api.Verdict;
import dev.plumb.providers.Providers;
import dev.plumb.providers.ServiceProvider;
import dev.plumb.resources.Rules;
import dev.plumb.resources.ServiceResource;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code service: NAME} — whether a service runs and starts at boot, as the provider the {@code service}
 * resource uses reads it (systemd or sysv). The name follows the resource's rule, so that no check reaches a
 * script outside the init system's directory.
 */
public record ServiceCheck(
        @Attribute(doc = "the service name") String service,
        @Attribute(doc = "whether it must run (default) or must not", defaultValue = "true") Boolean running,
        @Attribute(doc = "whether it must start at boot; unset: not checked") Boolean enabled,
        @Attribute(doc = "systemd or sysv; default: the host's init system",
                values = {"systemd", "sysv"})
        String provider) implements Check {

    @Override
    public List<Diagnostic> validate() {
        List<Diagnostic> problems = new ArrayList<>();
        ServiceResource.nameRule(problems, null, service);
        Rules.oneOf(problems, "provider", provider, "systemd", "sysv");
        return problems;
    }

    @Override
    public Verdict verify(CheckContext context, Duration timeout) throws IOException, ResourceException {
        ServiceProvider services = context.service(Providers.class).services(provider);
        Optional<ServiceProvider.State> state = services.query(service);
        Verdict verdict = new Verdict();
        if (state.isEmpty()) {
            return verdict.mismatch("running", "a service named " + service, services.missing(service));
        }
        boolean wanted = running == null || running;
        if (state.get().running() != wanted) {
            verdict.mismatch("running", String.valueOf(wanted), String.valueOf(state.get().running()));
        }
        if (enabled != null && !enabled.equals(state.get().enabled())) {
            verdict.mismatch("enabled", String.valueOf(enabled),
                    state.get().enabled() == null ? state.get().notSwitchable() : String.valueOf(state.get().enabled()));
        }
        return verdict;
    }
}

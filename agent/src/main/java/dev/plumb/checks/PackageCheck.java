package dev.plumb.checks;

import dev.plumb.api.Attribute;
import dev.plumb.api.Check;
import dev.plumb.api.CheckContext;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.ResourceException;
import dev.plumb.api.Verdict;
import dev.plumb.providers.AptProvider;
import dev.plumb.providers.Providers;
import dev.plumb.resources.PackageResource;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code package: NAME} — whether a package is installed, and at which version, as the package provider the
 * {@code package} resource uses reads it (dpkg on Debian and Ubuntu).
 */
public record PackageCheck(
        @Attribute(doc = "the package name") String packageName,
        @Attribute(doc = "whether it must be installed (default) or must not", defaultValue = "true") Boolean installed,
        @Attribute(doc = "the exact version that must be installed") String version) implements Check {

    @Override
    public List<Diagnostic> validate() {
        List<Diagnostic> problems = new ArrayList<>();
        PackageResource.nameRule(problems, null, packageName);
        if (version != null && Boolean.FALSE.equals(installed)) {
            problems.add(Diagnostic.ofAttribute("version", "has no meaning for a package that must not be installed"));
        }
        return problems;
    }

    @Override
    public Verdict verify(CheckContext context, Duration timeout) throws IOException, ResourceException {
        AptProvider.Installed current =
                context.service(Providers.class).packages().query(List.of(packageName)).get(packageName);
        boolean isInstalled = current != null && current.isInstalled();
        Verdict verdict = new Verdict();
        boolean wanted = installed == null || installed;
        if (wanted != isInstalled) {
            verdict.mismatch("installed", String.valueOf(wanted), isInstalled ? "version " + current.version() + " installed"
                    : current == null ? "a package dpkg does not know" : "not installed (dpkg status " + current.status() + ")");
        } else if (version != null && !version.equals(current.version())) {
            verdict.mismatch("version", version, current.version());
        }
        return verdict;
    }
}

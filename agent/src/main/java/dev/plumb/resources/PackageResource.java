package dev.plumb.resources;

import dev.plumb.api.Action;
import dev.plumb.api.Attribute;
import dev.plumb.api.Batched;
import dev.plumb.api.Change;
import dev.plumb.api.Context;
import dev.plumb.api.FailureKind;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.Removable;
import dev.plumb.api.ResourceException;
import dev.plumb.providers.AptProvider;
import dev.plumb.providers.AptProvider.Installed;
import dev.plumb.providers.AptProvider.Policy;
import dev.plumb.providers.Providers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code package: NAME} — a Debian package, installed at a version or removed. Every package of a run that
 * does not depend on another converges in one step: one {@code dpkg-query} reads them all, and one apt
 * transaction installs them.
 */
public record PackageResource(
        @Attribute(doc = "the package name") String name,
        @Attribute(doc = "present (default), absent (configuration files stay) or purged",
                defaultValue = "present", values = {"present", "absent", "purged"})
        String ensure,
        @Attribute(doc = "installed (default: any version), latest, or an exact version",
                defaultValue = "installed")
        String version,
        @Attribute(doc = "a .deb file under the project's files/, installed with its dependencies") String source,
        @Attribute(doc = "the .deb file itself, filled in by the compiler", computed = true) String sourceBase64)
        implements Batched, Removable {

    private static final Pattern PACKAGE_NAME = Pattern.compile("[a-z0-9][a-z0-9+.-]+");

    @Override
    public List<Diagnostic> validate() {
        List<Diagnostic> problems = new ArrayList<>();
        nameRule(problems, "name", name);
        Rules.oneOf(problems, "ensure", ensure, "present", "absent", "purged");
        boolean present = ensure == null || ensure.equals("present");
        if (version != null && !version.equals("installed") && !version.equals("latest")
                && !version.matches("[0-9][A-Za-z0-9.+~:-]*")) {
            problems.add(Diagnostic.ofAttribute("version", "'" + version + "' is not installed, latest or a Debian version "
                    + "such as 1.2.3-1"));
        }
        if (version != null && !present) {
            problems.add(Diagnostic.ofAttribute("version", "has no meaning for a package that is " + ensure));
        }
        if (source != null && !present) {
            problems.add(Diagnostic.ofAttribute("source", "has no meaning for a package that is " + ensure));
        }
        if (source != null && "latest".equals(version)) {
            problems.add(Diagnostic.ofAttribute("version", "latest has no meaning with source: the .deb file decides the version"));
        }
        if (source != null && sourceBase64 == null) {
            problems.add(Diagnostic.ofAttribute("source", "the .deb file is missing; catalogs from the compiler carry it"));
        }
        return problems;
    }

    /** The names a Debian package may have, for this resource and the package check alike. */
    public static void nameRule(List<Diagnostic> problems, String attribute, String name) {
        if (!PACKAGE_NAME.matcher(name).matches()) {
            problems.add(Diagnostic.ofAttribute(attribute, "'" + name + "' is not a Debian package name; expected "
                    + "lower-case letters, digits and + - . such as nginx or libssl3"));
        }
    }

    @Override
    public List<Outcome> convergeTogether(Context context, boolean apply, List<Batched> members) {
        List<PackageResource> packages = members.stream().map(PackageResource.class::cast).toList();
        Path debs = null;
        try {
            AptProvider apt = context.service(Providers.class).packages();
            Map<String, Installed> installed = apt.query(packages.stream().map(PackageResource::name).toList());
            List<String> offered = packages.stream().filter(p -> p.needsPolicy(installed.get(p.name))).map(PackageResource::name).toList();
            Map<String, Policy> policies = offered.isEmpty() ? Map.of() : apt.policies(offered);
            List<Step> steps = new ArrayList<>();
            for (PackageResource p : packages) {
                if (p.source != null && debs == null) {
                    debs = Files.createTempDirectory("plumb-debs");
                }
                steps.add(p.decide(apt, installed.get(p.name), policies.get(p.name), debs));
            }
            if (apply) {
                for (String verb : List.of("install", "remove", "purge")) {
                    transact(apt, verb, steps.stream().filter(s -> verb.equals(s.verb) && s.failure == null).toList());
                }
            }
            return steps.stream().map(s -> s.failure != null ? Outcome.failed(s.kind, s.failure) : Outcome.of(s.change)).toList();
        } catch (ResourceException | IOException e) {
            String failure = e instanceof IOException io ? "cannot query packages: " + io.getMessage() : e.getMessage();
            FailureKind kind = e instanceof ResourceException resource ? resource.kind() : FailureKind.IO;
            return packages.stream().map(p -> Outcome.failed(kind, failure)).toList();
        } finally {
            deleteQuietly(debs);
        }
    }

    /** What one package needs: the change, and the apt verb and argument that make it; or why it cannot be done. */
    private static final class Step {
        final Change change = new Change();
        String verb;
        String argument;
        String failure;
        FailureKind kind;

        Step run(String verb, String argument) {
            this.verb = verb;
            this.argument = argument;
            return this;
        }

        Step fail(String failure) {
            return fail(FailureKind.FAILED, failure);
        }

        Step fail(FailureKind kind, String failure) {
            this.kind = kind;
            this.failure = failure;
            return this;
        }
    }

    @Override
    public boolean removes() {
        return !present();
    }

    private boolean present() {
        return ensure == null || ensure.equals("present");
    }

    /** Whether deciding needs apt's view: a package to install from the sources, or to keep at the latest version. */
    private boolean needsPolicy(Installed current) {
        boolean isInstalled = current != null && current.isInstalled();
        return present() && source == null && (!isInstalled || "latest".equals(version)
                || version != null && !version.equals("installed") && !version.equals(current.version()));
    }

    private Step decide(AptProvider apt, Installed current, Policy policy, Path debs) throws IOException, ResourceException {
        Step step = new Step();
        boolean isInstalled = current != null && current.isInstalled();
        if (!present()) {
            if ("purged".equals(ensure) && current != null && current.leavesTraces()) {
                step.change.add(Action.REMOVE, "ensure", isInstalled ? current.version() : "configuration files", "purged",
                        isInstalled ? "purge version " + current.version() : "purge configuration files");
                return step.run("purge", name);
            }
            if (isInstalled) {
                step.change.add(Action.REMOVE, "ensure", current.version(), "absent", "remove version " + current.version());
                return step.run("remove", name);
            }
            return step;
        }
        if (source != null) {
            Path deb = debs.resolve(Path.of(source).getFileName().toString());
            Files.write(deb, Base64.getDecoder().decode(sourceBase64));
            AptProvider.Deb inside = apt.inspect(deb);
            if (!inside.name().equals(name)) {
                return step.fail("source " + source + " holds the package '" + inside.name() + "', not '" + name + "'");
            }
            if (version != null && !version.equals("installed") && !version.equals(inside.version())) {
                return step.fail("source " + source + " holds version " + inside.version() + ", not " + version);
            }
            return wanted(step, current, inside.version(), deb.toString(), " from " + source);
        }
        if (policy == null || policy.versions().isEmpty() && !isInstalled) {
            return isInstalled ? step : step.fail("no package '" + name + "' is available from the configured apt "
                    + "sources; check the name, or run apt-get update");
        }
        if ("latest".equals(version)) {
            return policy.candidate() == null ? step : wanted(step, current, policy.candidate(), name, " (latest)");
        }
        if (version == null || version.equals("installed")) {
            if (isInstalled) {
                return step;
            }
            if (policy.candidate() == null) {
                return step.fail("no version of '" + name + "' can be installed from the configured apt sources");
            }
            return wanted(step, current, policy.candidate(), name, "");
        }
        if (!isInstalled || !version.equals(current.version())) {
            if (!policy.versions().contains(version)) {
                return step.fail("version " + version + " of '" + name + "' is not available; apt offers "
                        + (policy.versions().isEmpty() ? "none" : String.join(", ", policy.versions())));
            }
        }
        return wanted(step, current, version, name + "=" + version, "");
    }

    /** Installs {@code target} unless that version is installed already. */
    private static Step wanted(Step step, Installed current, String target, String argument, String origin) {
        if (current != null && current.isInstalled()) {
            if (current.version().equals(target)) {
                return step;
            }
            step.change.add(Action.CHANGE, "version", current.version(), target,
                    "version changed '" + current.version() + "' to '" + target + "'" + origin);
        } else {
            step.change.add(Action.CREATE, "ensure", null, target, "install version " + target + origin);
        }
        return step.run("install", argument);
    }

    /**
     * Runs one apt transaction for all steps of a verb. When it fails and holds more than one package, each
     * is tried alone, so that one broken package fails by itself and the others still converge.
     */
    private static void transact(AptProvider apt, String verb, List<Step> steps) throws IOException {
        if (steps.isEmpty()) {
            return;
        }
        try {
            apt.transaction(verb, steps.stream().map(s -> s.argument).toList());
        } catch (ResourceException e) {
            if (steps.size() == 1 || e.kind() == FailureKind.LOCKED) {
                steps.forEach(s -> s.fail(e.kind(), e.getMessage()));
                return;
            }
            for (Step step : steps) {
                try {
                    apt.transaction(verb, List.of(step.argument));
                } catch (ResourceException alone) {
                    step.fail(alone.kind(), alone.getMessage());
                }
            }
        }
    }

    private static void deleteQuietly(Path directory) {
        if (directory != null) {
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
                Files.delete(directory);
            } catch (IOException e) {
                // A temporary copy of a .deb left behind does no harm; the system cleans its temp directory.
            }
        }
    }
}

package dev.plumb.compiler;

import dev.plumb.api.Location;
import dev.plumb.facts.CommandFact;
import dev.plumb.facts.FactRequest;
import dev.plumb.facts.Facts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * What a project asks of its hosts' facts: the facts plumb.yaml defines under {@code facts:}, each a command run on
 * the host and a pattern its output is searched for, and whether the project uses the installed packages, which are
 * read only then (they cost about 20 ms of every run). The agent gathers them before the host's catalog is compiled;
 * a fact that failed there stops the compile, naming the fact, the host and the host's message.
 */
public final class ProjectFacts {

    /** A fact's name, as templates write it after {@code facts.}. */
    private static final String NAME = "[a-z_][a-z0-9_]*";
    /**
     * How a template reaches the installed packages: {@code facts.packages}, {@code ansible_facts['packages']} and the
     * like. A project whose files never say so does not have them read.
     */
    private static final Pattern USES_PACKAGES = Pattern.compile("facts\\s*(\\.\\s*|\\[\\s*['\"])packages\\b");
    /** The directories of a project whose files may hold templates. */
    private static final List<String> TEMPLATED = List.of("roles", "templates", "vars");

    /** A fact of plumb.yaml and where it was defined. */
    record Defined(CommandFact fact, Location location) {
    }

    private final List<Defined> defined;
    private final boolean usesPackages;

    ProjectFacts(List<Defined> defined, boolean usesPackages) {
        this.defined = List.copyOf(defined);
        this.usesPackages = usesPackages;
    }

    /** What the agent is asked to gather on every host of the project. */
    public FactRequest request() {
        return new FactRequest(defined.stream().map(Defined::fact).toList(), usesPackages);
    }

    /**
     * {@code facts: {NAME: {command: "...", pattern: "..."}}} of plumb.yaml, each checked: a name templates can
     * write and not one of plumb's own facts, a command, a pattern that is a regular expression.
     */
    static ProjectFacts read(YamlReader yaml, YamlReader.Entry entry, Path projectDirectory) {
        List<Defined> defined = new ArrayList<>();
        if (entry != null) {
            yaml.mapping(entry.value(), "a mapping of fact names to {command, pattern}").forEach((name, fact) ->
                    definition(yaml, name, fact).ifPresent(defined::add));
        }
        return new ProjectFacts(defined, mentionsPackages(projectDirectory));
    }

    private static Optional<Defined> definition(YamlReader yaml, String name, YamlReader.Entry entry) {
        if (!name.matches(NAME)) {
            yaml.problem(entry.key(), "fact name '" + name + "' is not a name templates can use; use lower-case letters, "
                    + "digits and '_', as sshd_version");
        } else if (Facts.BUILT_IN.contains(name)) {
            yaml.problem(entry.key(), "fact name '" + name + "' is one of plumb's own facts; choose another name");
        }
        Map<String, YamlReader.Entry> fields = yaml.mapping(entry.value(),
                "a fact as {command: \"ssh -V\", pattern: \"OpenSSH_([0-9.]+)\"}");
        yaml.onlyKeys(fields, List.of("command", "pattern"), "fact " + name);
        if (!fields.containsKey("command")) {
            yaml.problem(entry.key(), "fact " + name + " needs a command, as 'command: \"ssh -V\"'");
            return Optional.empty();
        }
        String command = yaml.string(fields.get("command").value(), "a shell command").orElse(null);
        if (command != null && command.isBlank()) {
            yaml.problem(fields.get("command").value(), "fact " + name + " has an empty command; give one, as "
                    + "'command: \"ssh -V\"'");
            return Optional.empty();
        }
        String pattern = fields.containsKey("pattern")
                ? yaml.string(fields.get("pattern").value(), "a regular expression").orElse(null) : null;
        if (pattern != null) {
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                yaml.problem(fields.get("pattern").value(), "pattern '" + pattern + "' of fact " + name
                        + " is not a regular expression: " + e.getDescription() + " at index " + e.getIndex());
                return Optional.empty();
            }
        }
        return command == null ? Optional.empty()
                : Optional.of(new Defined(new CommandFact(name, command, pattern), yaml.at(entry.key())));
    }

    /**
     * Stops a compile from facts gathered {@code where} ("host web1", "this machine") that cannot compile a catalog:
     * each fact of the project that failed there, or that the facts lack (gathered without the project's request), is
     * a problem where it is defined.
     */
    public void check(String where, Map<String, Object> facts) throws CompileException {
        Problems problems = new Problems();
        Map<?, ?> errors = facts.get("fact_errors") instanceof Map<?, ?> map ? map : Map.of();
        for (Defined fact : defined) {
            String name = fact.fact().name();
            if (errors.containsKey(name)) {
                problems.add(fact.location(), "fact " + name + " failed on " + where + ": " + errors.get(name));
            } else if (!facts.containsKey(name)) {
                problems.add(fact.location(), "fact " + name + " was not gathered on " + where
                        + ": its facts came without this project's request");
            }
        }
        problems.throwIfAny();
    }

    /** Whether a file of the project that may hold templates reaches for the installed packages. */
    private static boolean mentionsPackages(Path projectDirectory) {
        for (String directory : TEMPLATED) {
            Path top = projectDirectory.resolve(directory);
            if (!Files.isDirectory(top)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(top)) {
                if (files.filter(Files::isRegularFile).anyMatch(ProjectFacts::mentionsPackagesIn)) {
                    return true;
                }
            } catch (IOException | UncheckedIOException e) {
                // The compiler reads these files again and says what is wrong with them.
                return true;
            }
        }
        return mentionsPackagesIn(projectDirectory.resolve(ProjectLoader.INVENTORY_FILE))
                || mentionsPackagesIn(projectDirectory.resolve(ProjectLoader.PROJECT_FILE));
    }

    private static boolean mentionsPackagesIn(Path file) {
        try {
            return USES_PACKAGES.matcher(new String(InputFiles.read(file), StandardCharsets.UTF_8)).find();
        } catch (InputFiles.Unreadable e) {
            return false;
        }
    }
}

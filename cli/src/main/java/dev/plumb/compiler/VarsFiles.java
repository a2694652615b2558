package dev.plumb.compiler;

import dev.plumb.api.Location;
import dev.plumb.compiler.jinja.TemplateError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * A role's {@code vars_files}: names under the project's {@code vars/}, each rendered for the host, of which the
 * first that exists gives variables above the role's own {@code vars}, as Ansible's {@code include_vars} with
 * {@code first_found} and Puppet's Hiera do: {@code ["{{ facts.os.id }}-{{ facts.os.version_id }}.yaml",
 * "{{ facts.os.id }}.yaml", "defaults.yaml"]}.
 */
final class VarsFiles {

    static final String DIRECTORY = "vars";

    private VarsFiles() {
    }

    /**
     * The variables of the first of {@code role}'s candidates that exists, named in {@code scope} (the host's
     * facts, host and variables); none when the role names no candidates. None existing is a problem at the list.
     */
    static Map<String, Object> firstFound(Path project, Project.Role role, Map<String, Object> scope, Templates templates,
                                          Problems problems) {
        if (role.varsFiles().isEmpty()) {
            return Map.of();
        }
        YamlReader yaml = role.yaml().reporting(problems);
        List<String> tried = new ArrayList<>();
        for (Node candidate : role.varsFiles()) {
            Optional<String> name = name(yaml, candidate, scope, templates);
            if (name.isEmpty()) {
                return Map.of();
            }
            tried.add(DIRECTORY + "/" + name.get());
            Path path = project.resolve(DIRECTORY).resolve(name.get()).normalize();
            if (path.startsWith(project.resolve(DIRECTORY)) && Files.isRegularFile(path)) {
                return read(project, name.get(), problems);
            }
        }
        yaml.problem(role.varsFiles().get(0), "vars_files: none of " + String.join(", ", tried) + " exists; add one, or end "
                + "the list with a file every host has, such as defaults.yaml");
        return Map.of();
    }

    private static Optional<String> name(YamlReader yaml, Node candidate, Map<String, Object> scope, Templates templates) {
        if (!(candidate instanceof ScalarNode scalar) || YamlReader.isNull(candidate)) {
            yaml.problem(candidate, "vars_files: expected a file name under vars/, got " + YamlReader.describe(candidate));
            return Optional.empty();
        }
        try {
            String name = templates.renderString(scalar.getValue(), scope);
            if (name.isBlank() || name.startsWith("/") || Path.of(name).normalize().startsWith("..")) {
                yaml.problem(candidate, "vars_files: '" + name + "' is not a file name under vars/; name one such as "
                        + "debian.yaml");
                return Optional.empty();
            }
            return Optional.of(name);
        } catch (TemplateError e) {
            yaml.problem(candidate, "vars_files: " + Templates.describe(e, scope) + " in '" + scalar.getValue() + "'");
            return Optional.empty();
        }
    }

    /** The variables of {@code vars/NAME}: a mapping, read as inside the project only. */
    private static Map<String, Object> read(Path project, String name, Problems problems) {
        String relative = DIRECTORY + "/" + name;
        byte[] bytes;
        try {
            bytes = InputFiles.readInside(project, DIRECTORY, name);
        } catch (InputFiles.Unreadable e) {
            problems.add(new Location(relative, 0, 0), e.getMessage());
            return Map.of();
        }
        YamlReader yaml = new YamlReader(relative, problems);
        return YamlReader.parse(relative, bytes, problems)
                .map(root -> ProjectLoader.vars(yaml, new YamlReader.Entry(null, root))).orElse(Map.of());
    }
}

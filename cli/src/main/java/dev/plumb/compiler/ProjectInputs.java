package dev.plumb.compiler;

import dev.plumb.api.Location;
import dev.plumb.api.Suggestions;
import dev.plumb.compiler.jinja.TemplateError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.Node;

/** The project's own files that entries name (files/, templates/), read inside the project only. */
final class ProjectInputs {

    private final Path projectDirectory;
    private final Templates templates;
    private final Problems problems;

    ProjectInputs(Path projectDirectory, Templates templates, Problems problems) {
        this.projectDirectory = projectDirectory;
        this.templates = templates;
        this.problems = problems;
    }

    /** The bytes of a file of the project, such as files/app.deb; null after reporting why not. */
    byte[] read(YamlReader yaml, Node node, String directory, String name) {
        if (name.indexOf('\0') >= 0) {
            yaml.problem(node, "'" + name.replace("\0", "\\0") + "' is not a file name: it contains a NUL character");
            return null;
        }
        if (!Files.exists(projectDirectory.resolve(directory).resolve(name))) {
            yaml.problem(node, directory + "/" + name + " does not exist" + nearby(directory, name));
            return null;
        }
        try {
            return InputFiles.readInside(projectDirectory, directory, name);
        } catch (InputFiles.Unreadable e) {
            yaml.problem(node, directory + "/" + name + " " + e.getMessage());
            return null;
        }
    }

    /** A template of the project rendered for the host; null after reporting why not. */
    byte[] renderTemplate(YamlReader yaml, Node node, String name, Map<String, Object> scope) {
        byte[] bytes = read(yaml, node, "templates", name);
        if (bytes == null) {
            return null;
        }
        try {
            InputFiles.utf8(bytes);
        } catch (InputFiles.NotUtf8 e) {
            problems.add(new Location("templates/" + name, e.line, e.column), e.getMessage());
            return null;
        }
        try {
            return templates.renderFile(name, scope).getBytes(StandardCharsets.UTF_8);
        } catch (TemplateError e) {
            String file = e.templateName() == null ? "templates/" + name : e.templateName();
            problems.add(new Location(file, e.line(), e.column()), Templates.describe(e, scope)
                    + " (rendering for the file resource at " + yaml.at(node) + ")");
            return null;
        }
    }

    /** " ; did you mean 'app.conf.j2'?" from the files that do exist in that directory. */
    private String nearby(String directory, String name) {
        try (var list = Files.list(projectDirectory.resolve(directory))) {
            return Suggestions.didYouMean(name, list.map(p -> p.getFileName().toString()).toList());
        } catch (IOException e) {
            return "";
        }
    }
}

package dev.plumb.compiler;

import dev.plumb.api.AttributeSchema;
import dev.plumb.system.Hashing;
import dev.plumb.system.Utf8;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A file's content given one of three ways: {@code content} itself, {@code source} (a file under files/, copied
 * byte for byte) or {@code template} (a Jinja2 template under templates/, rendered for the host); the catalog
 * carries the content and its {@code sha256}.
 */
final class FileContent implements CompileHook {

    /** Ways to give a file its content; at most one of them. */
    private static final List<String> WAYS = List.of("content", "source", "template");

    @Override
    public List<AttributeSchema> projectAttributes() {
        return List.of(
                AttributeSchema.optional("source", String.class, "", "A file under files/ to copy byte for byte"),
                AttributeSchema.optional("template", String.class, "", "A Jinja2 template under templates/ to render"));
    }

    @Override
    public boolean accepts(YamlReader yaml, Map<String, YamlReader.Entry> attributes) {
        List<String> given = WAYS.stream().filter(attributes::containsKey).toList();
        if (given.size() > 1) {
            yaml.problem(attributes.get(given.get(1)).key(), "give a file's content one way: " + String.join(", ", given)
                    + " are all set; keep one of them");
            return false;
        }
        return true;
    }

    /** Turns {@code source} or {@code template} into the content itself, and adds its hash. */
    @Override
    public void complete(ProjectInputs files, YamlReader yaml, Map<String, YamlReader.Entry> attributes,
                         Map<String, Object> values, Map<String, Object> scope) {
        byte[] content = null;
        Object source = values.remove("source");
        Object template = values.remove("template");
        if (source != null) {
            content = files.read(yaml, attributes.get("source").value(), "files", source.toString());
            if (content != null) {
                String text = Utf8.decodeOrNull(content);
                values.put(text != null ? "content" : "contentBase64",
                        text != null ? text : Base64.getEncoder().encodeToString(content));
            }
        } else if (template != null) {
            content = files.renderTemplate(yaml, attributes.get("template").value(), template.toString(), scope);
            if (content != null) {
                values.put("content", new String(content, StandardCharsets.UTF_8));
            }
        } else if (values.get("content") instanceof String text) {
            content = text.getBytes(StandardCharsets.UTF_8);
        }
        if (content != null) {
            values.put("sha256", Hashing.sha256(content));
        }
    }
}

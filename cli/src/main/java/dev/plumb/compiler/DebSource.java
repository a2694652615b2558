package dev.plumb.compiler;

import dev.plumb.api.AttributeSchema;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** A package's {@code source}, a .deb file under files/, travels in the catalog as {@code sourceBase64}. */
final class DebSource implements CompileHook {

    @Override
    public List<AttributeSchema> projectAttributes() {
        return List.of();
    }

    @Override
    public void complete(ProjectInputs files, YamlReader yaml, Map<String, YamlReader.Entry> attributes,
                         Map<String, Object> values, Map<String, Object> scope) {
        if (values.get("source") instanceof String deb) {
            byte[] content = files.read(yaml, attributes.get("source").value(), "files", deb);
            if (content != null) {
                values.put("sourceBase64", Base64.getEncoder().encodeToString(content));
            }
        }
    }
}

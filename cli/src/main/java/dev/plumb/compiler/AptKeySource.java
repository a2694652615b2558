package dev.plumb.compiler;

import dev.plumb.api.AttributeSchema;
import dev.plumb.system.Utf8;
import java.util.List;
import java.util.Map;

/**
 * An apt_repository's signing key given as {@code key_source}, an ASCII-armored key file under files/ (as a role
 * keeps a vendor's key next to its other files), travels in the catalog as the {@code key} text itself.
 */
final class AptKeySource implements CompileHook {

    @Override
    public List<AttributeSchema> projectAttributes() {
        return List.of(AttributeSchema.optional("key_source", String.class, "",
                "An ASCII-armored key file under files/, instead of the key's text in key"));
    }

    @Override
    public boolean accepts(YamlReader yaml, Map<String, YamlReader.Entry> attributes) {
        if (attributes.containsKey("key") && attributes.containsKey("key_source")) {
            yaml.problem(attributes.get("key_source").key(), "give the signing key one way: key and key_source are "
                    + "both set; keep one of them");
            return false;
        }
        return true;
    }

    @Override
    public void complete(ProjectInputs files, YamlReader yaml, Map<String, YamlReader.Entry> attributes,
                         Map<String, Object> values, Map<String, Object> scope) {
        Object source = values.remove("key_source");
        if (source == null) {
            return;
        }
        byte[] content = files.read(yaml, attributes.get("key_source").value(), "files", source.toString());
        String text = content == null ? null : Utf8.decodeOrNull(content);
        if (content != null && text == null) {
            yaml.problem(attributes.get("key_source").value(), "files/" + source + " is a binary key; give the "
                    + "ASCII-armored one, as 'gpg --armor --export' prints it");
        } else if (text != null) {
            values.put("key", text);
        }
    }
}

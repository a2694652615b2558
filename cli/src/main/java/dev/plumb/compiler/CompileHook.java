package dev.plumb.compiler;

import dev.plumb.api.AttributeSchema;
import java.util.List;
import java.util.Map;

/**
 * What a type needs of the project at compile time, beyond converting its attributes: a file's {@code source} or
 * {@code template} becomes its content, a package's {@code .deb} travels in the catalog. Registered in
 * {@link #RESOURCES} by type name, so generic compiler code never asks which type it is compiling.
 */
interface CompileHook {

    /** The hooks of resource types, one line each. */
    Map<String, CompileHook> RESOURCES = Map.of(
            "file", new FileContent(),
            "package", new DebSource(),
            "systemd_unit", new FileContent(),
            "apt_repository", new AptKeySource());

    /** Attributes project files may set besides the type's own, which this hook turns into catalog attributes. */
    List<AttributeSchema> projectAttributes();

    /** Whether the entry's keys go together; false after reporting the problem. */
    default boolean accepts(YamlReader yaml, Map<String, YamlReader.Entry> attributes) {
        return true;
    }

    /** Turns the project-only values of one expanded entry into the catalog attributes the agent reads. */
    void complete(ProjectInputs files, YamlReader yaml, Map<String, YamlReader.Entry> attributes, Map<String, Object> values,
                  Map<String, Object> scope);
}

package dev.plumb.cli;

import dev.plumb.catalog.Json;
import dev.plumb.compiler.ProjectSchema;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.TypeConversionException;

/** {@code plumb schema}: the JSON Schema of project files, for editors. */
final class SchemaCommand implements Callable<Integer> {

    final CommandSpec spec = CommandSpecs.command(this, "schema", "Print the JSON Schema of project files, for editors: "
            + "completion, descriptions and inline errors.%nWith FILE (project, inventory or role) the schema of that "
            + "file only; without, one schema every project file matches.");

    private final PositionalParamSpec fileParameter = CommandSpecs.parameter("FILE", ProjectSchema.FileKind.class, "0..1",
            "project (plumb.yaml), inventory (inventory.yaml) or role (roles/*.yaml)")
            .converters(new FileKindConverter()).build();

    SchemaCommand() {
        spec.addPositional(fileParameter);
    }

    @Override
    public Integer call() {
        ProjectSchema.FileKind file = fileParameter.getValue();
        var schema = file == null ? ProjectSchema.ofAnyFile() : ProjectSchema.of(file);
        spec.commandLine().getOut().println(Json.MAPPER.writeValueAsString(schema));
        return ExitCodes.OK;
    }

    /** FILE as people write it, in lower case. */
    static final class FileKindConverter implements ITypeConverter<ProjectSchema.FileKind> {
        @Override
        public ProjectSchema.FileKind convert(String value) {
            return Arrays.stream(ProjectSchema.FileKind.values()).filter(k -> k.name().equalsIgnoreCase(value)).findFirst()
                    .orElseThrow(() -> new TypeConversionException("'" + value + "' is not a kind of project file; "
                            + "expected project, inventory or role"));
        }
    }
}

package dev.plumb.agent;

import dev.plumb.api.Diagnostic;
import dev.plumb.api.PreparedCheck;
import dev.plumb.api.Resource;
import dev.plumb.api.TypeRegistry;
import dev.plumb.checks.CheckTypes;
import dev.plumb.resources.ResourceTypes;
import java.util.List;
import java.util.Map;

/** The resource and check types that ship with plumb, as the engine sees them. */
public final class BuiltInTypes implements TypeRegistry {

    public static final BuiltInTypes REGISTRY = new BuiltInTypes();

    private BuiltInTypes() {
    }

    @Override
    public Resource resource(String type, String name, Map<String, Object> attributes) {
        return ResourceTypes.REGISTRY.instantiate(type, name, attributes);
    }

    @Override
    public List<Diagnostic> checkProblems(String type, String target, Map<String, Object> attributes) {
        return CheckTypes.problems(type, target, attributes);
    }

    @Override
    public PreparedCheck check(String type, String target, Map<String, Object> attributes) {
        return CheckTypes.prepare(type, target, attributes);
    }
}

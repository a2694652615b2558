package dev.plumb.compiler.jinja;

import dev.plumb.compiler.jinja.TemplateError.Position;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The names one rendering sees, innermost first: a loop's or macro's own, the template's {@code set}s, the
 * caller's variables, then the global functions. As in Jinja2, a {@code set} inside a loop stays in that loop.
 */
final class Context {

    /** {@code namespace(...)}: the one value a template may change, so that a loop can carry a result out. */
    static final class Namespace extends LinkedHashMap<String, Object> {
    }

    private final Environment environment;
    private final Map<String, Object> variables;
    private final Map<String, Object> locals;
    private final Context parent;

    Context(Environment environment, Map<String, Object> variables) {
        this(environment, variables, null);
    }

    private Context(Environment environment, Map<String, Object> variables, Context parent) {
        this.environment = environment;
        this.variables = variables;
        this.locals = new HashMap<>();
        this.parent = parent;
    }

    /** A scope inside this one, for one loop step or a {@code with} block. */
    Context child() {
        return new Context(environment, variables, this);
    }

    /** A macro's scope: the template's top level, not its caller's loop. */
    Context top() {
        Context top = this;
        while (top.parent != null) {
            top = top.parent;
        }
        return top.child();
    }

    Environment environment() {
        return environment;
    }

    Map<String, Object> variables() {
        return variables;
    }

    Object lookup(String name, Position at) {
        for (Context scope = this; scope != null; scope = scope.parent) {
            if (scope.locals.containsKey(name)) {
                return scope.locals.get(name);
            }
        }
        if (variables.containsKey(name)) {
            return Py.normalize(variables.get(name));
        }
        Macro global = environment.global(name);
        return global != null ? global : new Undefined(List.of(name), at, localNames());
    }

    private List<String> localNames() {
        List<String> names = new ArrayList<>(List.of("true", "false"));
        for (Context scope = this; scope != null; scope = scope.parent) {
            names.addAll(scope.locals.keySet());
        }
        return names;
    }

    void set(String name, Object value) {
        locals.put(name, value);
    }
}

package dev.plumb.compiler;

import dev.plumb.api.Location;
import dev.plumb.compiler.jinja.TemplateError;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A host's variables as templates see them. A value written with template syntax, such as
 * {@code worker_processes: "{{ facts.cpus }}"}, is computed when first used, from the variables that won by
 * precedence, and then kept; one that is never used is never computed. A variable that needs itself is
 * reported with the whole chain and where each link is written.
 *
 * <p>A rendering that ran out of time may still be running, on its own thread, while later ones compute: what it
 * computes is not kept, and the variables it was computing do not count as being computed, so it cannot make a later
 * rendering see a cycle that is not there. The maps are read and changed under this object's lock, never held while
 * a value is computed.
 */
final class Variables extends AbstractMap<String, Object> {

    /** A value as written in a project file, with template syntax: computed when its variable is first used. */
    record Deferred(String text, Location at) {
    }

    private final Map<String, Object> written;
    private final Templates templates;
    private final Map<String, Object> computed = new LinkedHashMap<>();
    /** The variables being computed, in the order each needed the next, each with the thread computing it. */
    private final Map<String, Thread> computing = new LinkedHashMap<>();

    Variables(Map<String, Object> written, Templates templates) {
        this.written = written;
        this.templates = templates;
    }

    @Override
    public boolean containsKey(Object name) {
        return written.containsKey(name);
    }

    @Override
    public Set<String> keySet() {
        return written.keySet();
    }

    @Override
    public Object get(Object key) {
        if (!(key instanceof String name) || !written.containsKey(name)) {
            return null;
        }
        synchronized (this) {
            templates.refuseAbandonedRendering();
            if (computed.containsKey(name)) {
                return computed.get(name);
            }
            computing.values().removeIf(templates::isAbandoned);
            if (computing.containsKey(name)) {
                throw cycle(name);
            }
            computing.put(name, Thread.currentThread());
        }
        try {
            Object value = Scope.readOnly(computed(name, written.get(name), this, templates));
            synchronized (this) {
                templates.refuseAbandonedRendering();
                computed.put(name, value);
            }
            return value;
        } finally {
            synchronized (this) {
                computing.remove(name, Thread.currentThread());
            }
        }
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        Set<Entry<String, Object>> entries = new LinkedHashSet<>();
        written.keySet().forEach(name -> entries.add(new SimpleImmutableEntry<>(name, get(name))));
        return entries;
    }

    /** The value with every deferred text in it computed in {@code scope}; {@code name} says what it is for messages. */
    static Object computed(String name, Object value, Map<String, Object> scope, Templates templates) {
        if (value instanceof Deferred deferred) {
            try {
                return templates.compute(deferred.text(), scope);
            } catch (TemplateError e) {
                if (e.kind() == TemplateError.Kind.VARIABLE) {
                    throw e;
                }
                throw new TemplateError(TemplateError.Kind.VARIABLE, "variable '" + name + "' (" + deferred.at() + "): "
                        + Templates.describe(e, scope) + " in '" + deferred.text() + "'", null, 0, 0, List.of());
            }
        }
        if (value instanceof List<?> list) {
            List<Object> resolved = new ArrayList<>(list.size());
            list.forEach(element -> resolved.add(computed(name, element, scope, templates)));
            return resolved;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> resolved = new LinkedHashMap<>();
            map.forEach((k, v) -> resolved.put(k, computed(name, v, scope, templates)));
            return resolved;
        }
        return value;
    }

    private TemplateError cycle(String name) {
        List<String> chain = new ArrayList<>(computing.keySet());
        chain = new ArrayList<>(chain.subList(chain.indexOf(name), chain.size()));
        chain.add(name);
        StringBuilder where = new StringBuilder();
        for (String link : new LinkedHashSet<>(chain)) {
            Object value = written.get(link);
            where.append(where.length() > 0 ? ", " : "").append(link)
                    .append(value instanceof Deferred deferred ? " at " + deferred.at() : "");
        }
        return new TemplateError(TemplateError.Kind.VARIABLE, "variable '" + name + "' depends on itself: "
                + String.join(" -> ", chain) + " (" + where + "); give one of them a value that does not use the "
                + "others", null, 0, 0, List.of());
    }
}

package dev.plumb.compiler;

import dev.plumb.catalog.HostInfo;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The names a string or template can use: the host's variables, {@code facts}, {@code host}, and loop items. */
final class Scope {

    /** Names plumb binds itself; a variable may not take them. */
    static final Set<String> RESERVED = Set.of("facts", "host", "item", "key");

    private Scope() {
    }

    /**
     * The variables of a host, lowest precedence first: the facts under Ansible's names ({@code ansible_os_family},
     * {@code ansible_facts}), roles, the files their {@code vars_files} found for it
     * ({@code fromVarsFiles}), groups, environment, host, the variables an {@code include_roles} gives the role being
     * compiled ({@code includeVars}), command line.
     */
    static Map<String, Object> forHost(Project project, Project.Host host, List<Project.Role> roles,
                                       Map<String, Object> fromVarsFiles, Map<String, Object> includeVars,
                                       Map<String, Object> commandLine, Map<String, Object> facts, Templates templates) {
        Map<String, Object> scope = new HashMap<>();
        // Ansible's names for the facts come first, so that any variable of the project may take one of their names.
        Map<String, Object> ansible = AnsibleFacts.of(facts);
        ansible.forEach((name, value) -> scope.put("ansible_" + name, value));
        scope.put("ansible_facts", ansible);
        roles.forEach(role -> scope.putAll(role.vars()));
        scope.putAll(fromVarsFiles);
        host.groups().forEach(group -> scope.putAll(project.groups().get(group).vars()));
        if (host.env() != null) {
            scope.putAll(project.environment(host.env()).vars());
        }
        scope.putAll(host.vars());
        scope.putAll(includeVars);
        scope.putAll(commandLine);
        scope.put("facts", facts);
        Map<String, Object> hostInfo = new LinkedHashMap<>();
        hostInfo.put("name", host.name());
        // A host without an environment has no host.env: using it is an undefined value, as anywhere else.
        if (host.env() != null) {
            hostInfo.put("env", host.env());
        }
        hostInfo.put("groups", host.groups());
        scope.put("host", hostInfo);
        scope.replaceAll((name, value) -> readOnly(value));
        return new Variables(scope, templates);
    }

    /**
     * The value with every map and list in it unmodifiable. Templates can call methods on what they see, so
     * {@code facts.put('init_system', 'systemd')} would otherwise change the facts the providers are chosen by,
     * or one host's variables those of the next.
     */
    static Object readOnly(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, readOnly(v)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Scope::readOnly).toList();
        }
        return value;
    }

    static HostInfo hostInfo(Project.Host host) {
        return new HostInfo(host.name(), host.env(), host.groups());
    }

    /** The scope with a loop's {@code item} (and, for a mapping, {@code key}) bound; the scope's own values stay uncomputed until used. */
    static Map<String, Object> withItem(Map<String, Object> scope, Object key, Object item) {
        Map<String, Object> bound = new HashMap<>();
        bound.put("item", item);
        if (key != null) {
            bound.put("key", key);
        }
        return new AbstractMap<>() {
            @Override
            public boolean containsKey(Object name) {
                return bound.containsKey(name) || scope.containsKey(name);
            }

            @Override
            public Object get(Object name) {
                return bound.containsKey(name) ? bound.get(name) : scope.get(name);
            }

            @Override
            public Set<String> keySet() {
                Set<String> names = new java.util.LinkedHashSet<>(scope.keySet());
                names.addAll(bound.keySet());
                return names;
            }

            @Override
            public Set<Entry<String, Object>> entrySet() {
                Set<Entry<String, Object>> entries = new java.util.LinkedHashSet<>();
                keySet().forEach(name -> entries.add(new SimpleImmutableEntry<>(name, get(name))));
                return entries;
            }
        };
    }

    /** Looks up a dotted name such as {@code vhosts} or {@code app.ports}; null when any part is missing. */
    static Object lookup(Map<String, Object> scope, String dottedName) {
        Object value = scope;
        for (String part : dottedName.split("\\.")) {
            if (!(value instanceof Map<?, ?> map) || !map.containsKey(part)) {
                return null;
            }
            value = map.get(part);
        }
        return value;
    }
}

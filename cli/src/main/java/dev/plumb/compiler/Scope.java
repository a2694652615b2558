package dev.plumb.compiler;

import dev.plumb.catalog.HostInfo;
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

    /** The variables of a host, lowest precedence first: roles, groups, environment, host, command line. */
    static Map<String, Object> forHost(Project project, Project.Host host, List<Project.Role> roles,
                                       Map<String, Object> commandLine, Map<String, Object> facts) {
        Map<String, Object> scope = new HashMap<>();
        roles.forEach(role -> scope.putAll(role.vars()));
        host.groups().forEach(group -> scope.putAll(project.groups().get(group).vars()));
        if (host.env() != null) {
            scope.putAll(project.environment(host.env()).vars());
        }
        scope.putAll(host.vars());
        scope.putAll(commandLine);
        scope.put("facts", facts);
        Map<String, Object> hostInfo = new LinkedHashMap<>();
        hostInfo.put("name", host.name());
        hostInfo.put("env", host.env());
        hostInfo.put("groups", host.groups());
        scope.put("host", hostInfo);
        return scope;
    }

    static HostInfo hostInfo(Project.Host host) {
        return new HostInfo(host.name(), host.env(), host.groups());
    }

    /** The scope with a loop's {@code item} (and, for a mapping, {@code key}) bound. */
    static Map<String, Object> withItem(Map<String, Object> scope, Object key, Object item) {
        Map<String, Object> bound = new HashMap<>(scope);
        bound.put("item", item);
        if (key != null) {
            bound.put("key", key);
        }
        return bound;
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

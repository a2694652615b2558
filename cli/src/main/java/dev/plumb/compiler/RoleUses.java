package dev.plumb.compiler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The roles a host's catalog is compiled from, in order: its groups' roles, each once, and before each the roles it
 * includes (before theirs, the roles those include), each with the variables its include gives it. A role used
 * twice with the same variables is used once, as Ansible does with role dependencies.
 */
final class RoleUses {

    /** A role as one host uses it, and the variables its include gives it (none for a role of the host's groups). */
    record Use(Project.Role role, Map<String, Object> includeVars) {
    }

    private RoleUses() {
    }

    static List<Use> of(Project project, Project.Host host) {
        List<Use> uses = new ArrayList<>();
        for (String group : host.groups()) {
            for (String role : project.groups().get(group).roles()) {
                add(project, project.roles().get(role), Map.of(), uses);
            }
        }
        return uses;
    }

    /**
     * Adds {@code role}, after what it includes; an include's variables add to those of the include that led to it.
     * The loader refused include cycles, so this ends.
     */
    private static void add(Project project, Project.Role role, Map<String, Object> includeVars, List<Use> uses) {
        for (Project.Include include : role.includes()) {
            Map<String, Object> vars = new HashMap<>(includeVars);
            vars.putAll(include.vars());
            add(project, project.roles().get(include.role()), Collections.unmodifiableMap(vars), uses);
        }
        Use use = new Use(role, includeVars);
        if (!uses.contains(use)) {
            uses.add(use);
        }
    }
}

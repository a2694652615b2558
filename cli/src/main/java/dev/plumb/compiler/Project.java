package dev.plumb.compiler;

import dev.plumb.api.Location;
import dev.plumb.api.Suggestions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * A loaded project: its environments, groups, hosts and roles, each remembering where it was declared, and what it
 * asks of its hosts' facts.
 */
public record Project(Path directory, String name, List<Environment> environments, Map<String, Group> groups,
                      Map<String, Host> hosts, Map<String, Role> roles, ProjectFacts facts) {

    /** A stage of promotion, such as dev, staging or prod, with its variables. */
    public record Environment(String name, Map<String, Object> vars) {
    }

    /** A group of hosts: the roles its hosts get, the variables they see and how they are reached over SSH. */
    public record Group(String name, List<String> roles, Map<String, Object> vars, SshSettings ssh) {
    }

    /**
     * A machine of the inventory, reached locally ({@code connection: local}) or over SSH as {@code ssh} says
     * (null for a local host).
     */
    public record Host(String name, boolean local, SshSettings ssh, List<String> groups, String env,
                       Map<String, Object> vars, Location location) {
    }

    /**
     * A role file: default variables (its parameters' defaults among them), its typed parameters, the candidates of {@code vars_files} (each a name under {@code vars/}, which
     * may use templates), the resource entries and the check entries, kept as nodes to compile per host.
     */
    record Role(String name, YamlReader yaml, Map<String, Object> vars, List<RoleParameter> parameters,
                List<Include> includes, List<Node> varsFiles, List<Node> resources, List<Node> checks) {
    }

    /** {@code include_roles: [{role: NAME, vars: {...}}]}: another role, with variables of its own, before this one's. */
    record Include(String role, Map<String, Object> vars, Location location) {
    }

    /** "no host named 'web1'; hosts: web-1, db-1; did you mean 'web-1'?" */
    public String noSuchHost(String name) {
        return "no host named '" + name + "'; hosts: " + String.join(", ", hosts.keySet())
                + Suggestions.didYouMean(name, hosts.keySet());
    }

    public Environment environment(String name) {
        return environments.stream().filter(e -> e.name().equals(name)).findFirst().orElse(null);
    }
}

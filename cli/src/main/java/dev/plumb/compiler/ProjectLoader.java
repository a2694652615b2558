package dev.plumb.compiler;

import dev.plumb.api.Location;
import dev.plumb.api.Suggestions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads and checks the shape of every project file; reports every problem it finds, not just the first. */
public final class ProjectLoader {

    static final String PROJECT_FILE = "plumb.yaml";
    static final String INVENTORY_FILE = "inventory.yaml";
    private static final String HOST_NAME = "[A-Za-z0-9][A-Za-z0-9._-]*";
    private static final List<String> GROUP_KEYS = Stream.concat(Stream.of("roles", "vars"), SshSettings.KEYS.stream()).toList();
    private static final List<String> HOST_KEYS = Stream.concat(Stream.of("connection", "address", "groups", "env", "vars"),
            SshSettings.KEYS.stream()).toList();

    private final Path directory;
    private final Problems problems = new Problems();

    private ProjectLoader(Path directory) {
        this.directory = directory;
    }

    /**
     * Loads the project at {@code directory}, however it is spelt ({@code .}, {@code ./x}, {@code a/../x}):
     * every path is resolved against the project's real path, which is also the boundary that links in
     * {@code files/} and {@code templates/} may not leave.
     */
    public static Project load(Path directory) throws CompileException {
        ProjectLoader loader = new ProjectLoader(realPath(directory));
        Project project = loader.read();
        loader.problems.throwIfAny();
        return project;
    }

    private static Path realPath(Path directory) {
        try {
            return directory.toRealPath();
        } catch (IOException e) {
            // Reported as "no plumb project here" by read(), with the path as the user wrote it, made absolute.
            return directory.toAbsolutePath().normalize();
        }
    }

    private Project read() throws CompileException {
        if (!Files.isRegularFile(directory.resolve(PROJECT_FILE))) {
            problems.add(new Location(directory.resolve(PROJECT_FILE).toString(), 0, 0),
                    "no plumb project here: " + PROJECT_FILE + " is missing; pass the project directory with -p DIR");
            problems.throwIfAny();
        }
        YamlReader yaml = new YamlReader(PROJECT_FILE, problems);
        Map<String, YamlReader.Entry> top = YamlReader.parse(directory, PROJECT_FILE, problems)
                .map(root -> yaml.mapping(root, "a mapping with name, environments and facts")).orElse(Map.of());
        yaml.onlyKeys(top, List.of("name", "environments", "facts"), PROJECT_FILE);
        String name = Optional.ofNullable(top.get("name")).flatMap(e -> yaml.string(e.value(), "a project name"))
                .orElse(directory.toAbsolutePath().getFileName().toString());
        List<Project.Environment> environments = new ArrayList<>();
        if (top.containsKey("environments")) {
            for (Node item : yaml.sequence(top.get("environments").value(), "a list of environments in promotion order")) {
                readEnvironment(yaml, item).ifPresent(environments::add);
            }
        }
        Map<String, Project.Role> roles = readRoles();
        Map<String, Project.Group> groups = new LinkedHashMap<>();
        Map<String, Project.Host> hosts = new LinkedHashMap<>();
        readInventory(environments, roles, groups, hosts);
        return new Project(directory, name, environments, groups, hosts, roles,
                ProjectFacts.read(yaml, top.get("facts"), directory));
    }

    /** An environment is {@code - dev} or {@code - name: dev} with optional {@code vars}. */
    private Optional<Project.Environment> readEnvironment(YamlReader yaml, Node item) {
        if (!(item instanceof org.snakeyaml.engine.v2.nodes.MappingNode)) {
            return yaml.string(item, "an environment name").map(n -> new Project.Environment(n, Map.of()));
        }
        Map<String, YamlReader.Entry> entries = yaml.mapping(item, "an environment");
        yaml.onlyKeys(entries, List.of("name", "vars"), "an environment");
        if (!entries.containsKey("name")) {
            yaml.problem(item, "an environment needs a name, as '- name: dev'");
            return Optional.empty();
        }
        return yaml.string(entries.get("name").value(), "an environment name")
                .map(n -> new Project.Environment(n, vars(yaml, entries.get("vars"))));
    }

    private Map<String, Project.Role> readRoles() {
        Map<String, Project.Role> roles = new LinkedHashMap<>();
        Path rolesDirectory = directory.resolve("roles");
        if (!Files.isDirectory(rolesDirectory)) {
            return roles;
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(rolesDirectory)) {
            files = list.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            problems.add(new Location("roles", 0, 0), "cannot be listed: " + e.getMessage());
            return roles;
        }
        for (Path file : files) {
            String relative = "roles/" + file.getFileName();
            String roleName = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
            YamlReader yaml = new YamlReader(relative, problems);
            Map<String, YamlReader.Entry> top = YamlReader.parse(directory, relative, problems)
                    .map(root -> yaml.mapping(root, "a mapping with vars, resources and checks")).orElse(Map.of());
            yaml.onlyKeys(top, List.of("parameters", "include_roles", "vars", "vars_files", "resources", "checks"), relative);
            List<Project.Include> includes = includes(yaml, top.get("include_roles"));
            List<RoleParameter> parameters = RoleParameter.read(roleName, yaml, top.get("parameters"));
            Map<String, Object> vars = new LinkedHashMap<>(RoleParameter.defaults(parameters));
            Map<String, Object> ownVars = vars(yaml, top.get("vars"));
            parameters.stream().filter(p -> ownVars.containsKey(p.name())).forEach(p -> yaml.problem(
                    top.get("vars").value(), "variable " + p.name() + " is also a parameter; give its default under "
                            + "parameters only"));
            vars.putAll(ownVars);
            List<Node> varsFiles = top.containsKey("vars_files")
                    ? yaml.sequence(top.get("vars_files").value(), "a list of file names under vars/, the first that "
                            + "exists read") : List.of();
            List<Node> resources = top.containsKey("resources")
                    ? yaml.sequence(top.get("resources").value(), "a list of resources") : List.of();
            List<Node> checks = top.containsKey("checks")
                    ? yaml.sequence(top.get("checks").value(), "a list of checks") : List.of();
            roles.put(roleName, new Project.Role(roleName, yaml, vars, parameters, includes, varsFiles, resources, checks));
        }
        for (Project.Role role : roles.values()) {
            checkIncludes(role, roles);
        }
        return roles;
    }

    private void readInventory(List<Project.Environment> environments, Map<String, Project.Role> roles,
                               Map<String, Project.Group> groups, Map<String, Project.Host> hosts) {
        if (!Files.isRegularFile(directory.resolve(INVENTORY_FILE))) {
            problems.add(new Location(INVENTORY_FILE, 0, 0), "is missing; it lists the hosts plumb manages");
            return;
        }
        YamlReader yaml = new YamlReader(INVENTORY_FILE, problems);
        int problemsBefore = problems.size();
        Map<String, YamlReader.Entry> top = YamlReader.parse(directory, INVENTORY_FILE, problems)
                .map(root -> yaml.mapping(root, "a mapping with groups and hosts")).orElse(Map.of());
        if (top.isEmpty() && problems.size() > problemsBefore) {
            return;
        }
        yaml.onlyKeys(top, List.of("groups", "hosts"), INVENTORY_FILE);
        if (top.containsKey("groups")) {
            yaml.mapping(top.get("groups").value(), "a mapping of group names to groups").forEach((name, entry) -> {
                Map<String, YamlReader.Entry> group = yaml.mapping(entry.value(), "a group with roles, vars and SSH settings");
                yaml.onlyKeys(group, GROUP_KEYS, "group " + name);
                List<String> groupRoles = group.containsKey("roles") ? yaml.strings(group.get("roles").value(), "a role name") : List.of();
                for (String role : groupRoles) {
                    if (!roles.containsKey(role)) {
                        yaml.problem(group.get("roles").value(), "role '" + role + "' not found: expected roles/" + role
                                + ".yaml" + Suggestions.didYouMean(role, roles.keySet()));
                    }
                }
                groups.put(name, new Project.Group(name, groupRoles, vars(yaml, group.get("vars")),
                        SshSettings.read(yaml, group, null, directory)));
            });
        }
        if (!top.containsKey("hosts")) {
            problems.add(new Location(INVENTORY_FILE, 1, 1), "has no hosts; add a 'hosts:' mapping, for example "
                    + "'hosts: { local: { connection: local } }'");
            return;
        }
        yaml.mapping(top.get("hosts").value(), "a mapping of host names to hosts").forEach((name, entry) ->
                readHost(yaml, name, entry, environments, groups).ifPresent(host -> hosts.put(name, host)));
    }

    private Optional<Project.Host> readHost(YamlReader yaml, String name, YamlReader.Entry entry,
                                            List<Project.Environment> environments, Map<String, Project.Group> groups) {
        if (!name.matches(HOST_NAME)) {
            yaml.problem(entry.key(), "'" + name + "' is not a valid host name; use letters, digits, '.', '_' and '-'");
        }
        Map<String, YamlReader.Entry> host = yaml.mapping(entry.value(), "a host with connection or address, groups, env and vars");
        yaml.onlyKeys(host, HOST_KEYS, "host " + name);
        String connection = host.containsKey("connection") ? yaml.string(host.get("connection").value(), "a connection").orElse(null) : null;
        String address = host.containsKey("address") ? yaml.string(host.get("address").value(), "an address").orElse(null) : null;
        if (connection != null && !connection.equals("local") && !connection.equals("ssh")) {
            yaml.problem(host.get("connection").value(), "connection '" + connection + "' is not one of local, ssh"
                    + Suggestions.didYouMean(connection, List.of("local", "ssh")));
        }
        boolean local = "local".equals(connection);
        if (local == (address != null)) {
            yaml.problem(entry.key(), "host " + name + " needs either 'connection: local' or an 'address' (for SSH), not "
                    + (local ? "both" : "neither"));
        }
        List<String> hostGroups = host.containsKey("groups") ? yaml.strings(host.get("groups").value(), "a group name") : List.of();
        for (String group : hostGroups) {
            if (!groups.containsKey(group)) {
                yaml.problem(host.get("groups").value(), "group '" + group + "' is not declared under groups"
                        + Suggestions.didYouMean(group, groups.keySet()));
            }
        }
        String env = host.containsKey("env") ? yaml.string(host.get("env").value(), "an environment name").orElse(null) : null;
        if (env != null && environments.stream().noneMatch(e -> e.name().equals(env))) {
            List<String> declared = environments.stream().map(Project.Environment::name).toList();
            yaml.problem(host.get("env").value(), "environment '" + env + "' is not declared in plumb.yaml; "
                    + (declared.isEmpty() ? "it declares none; add 'environments: [" + env + "]'" : "declared: "
                    + String.join(", ", declared)) + Suggestions.didYouMean(env, declared));
        }
        SshSettings ssh = local ? null : SshSettings.read(yaml, host, address, directory)
                .orElse(SshSettings.ofGroups(hostGroups, groups));
        return Optional.of(new Project.Host(name, local, ssh, hostGroups, env, vars(yaml, host.get("vars")),
                yaml.at(entry.key())));
    }

    /** {@code include_roles}: each {@code - NAME} or {@code - {role: NAME, vars: {...}}}. */
    private static List<Project.Include> includes(YamlReader yaml, YamlReader.Entry entry) {
        List<Project.Include> includes = new ArrayList<>();
        if (entry == null) {
            return includes;
        }
        for (Node item : yaml.sequence(entry.value(), "a list of roles to include, each as '- role: NAME' with its vars")) {
            if (item instanceof org.snakeyaml.engine.v2.nodes.ScalarNode) {
                yaml.string(item, "a role name").ifPresent(name -> includes.add(new Project.Include(name, Map.of(), yaml.at(item))));
                continue;
            }
            Map<String, YamlReader.Entry> include = yaml.mapping(item, "a role to include, as '- role: NAME' with its vars");
            yaml.onlyKeys(include, List.of("role", "vars"), "an included role");
            if (!include.containsKey("role")) {
                yaml.problem(item, "an included role needs its name, as '- role: NAME'");
                continue;
            }
            yaml.string(include.get("role").value(), "a role name").ifPresent(name -> includes.add(
                    new Project.Include(name, vars(yaml, include.get("vars")), yaml.at(include.get("role").value()))));
        }
        return includes;
    }

    /** Every role {@code role} includes exists, and none includes itself, through others or not. */
    private void checkIncludes(Project.Role role, Map<String, Project.Role> roles) {
        for (Project.Include include : role.includes()) {
            if (!roles.containsKey(include.role())) {
                problems.add(include.location(), "role '" + include.role() + "' not found: expected roles/" + include.role()
                        + ".yaml" + Suggestions.didYouMean(include.role(), roles.keySet()));
            }
        }
        List<String> chain = includeCycle(role.name(), roles, new ArrayList<>(List.of(role.name())));
        if (chain != null) {
            problems.add(role.includes().get(0).location(), "role " + role.name() + " includes itself: "
                    + String.join(" -> ", chain) + "; remove one of these include_roles");
        }
    }

    /** The chain of includes from {@code chain}'s last role back to its first, or null when there is none. */
    private static List<String> includeCycle(String start, Map<String, Project.Role> roles, List<String> chain) {
        Project.Role last = roles.get(chain.get(chain.size() - 1));
        if (last == null || chain.size() > roles.size() + 1) {
            return null;
        }
        for (Project.Include include : last.includes()) {
            List<String> longer = new ArrayList<>(chain);
            longer.add(include.role());
            if (include.role().equals(start)) {
                return longer;
            }
            if (!chain.contains(include.role())) {
                List<String> found = includeCycle(start, roles, longer);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> vars(YamlReader yaml, YamlReader.Entry entry) {
        if (entry == null) {
            return Map.of();
        }
        Map<String, YamlReader.Entry> entries = yaml.mapping(entry.value(), "a mapping of variable names to values");
        for (YamlReader.Entry variable : entries.values()) {
            if (Scope.RESERVED.contains(variable.name())) {
                yaml.problem(variable.key(), "'" + variable.name() + "' is reserved: templates see plumb's own "
                        + variable.name() + " under that name; choose another variable name");
            }
        }
        return entries.isEmpty() ? Map.of() : (Map<String, Object>) yaml.value(entry.value());
    }
}

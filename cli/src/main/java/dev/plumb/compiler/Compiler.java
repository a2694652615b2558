package dev.plumb.compiler;

import dev.plumb.agent.BuiltInTypes;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.Location;
import dev.plumb.catalog.Catalog;
import dev.plumb.catalog.CatalogResource;
import dev.plumb.engine.Engine;
import dev.plumb.engine.InvalidCatalogException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a loaded project into the catalog of one host: merges the variables, expands the roles'
 * resources and checks, renders templates, and validates the result as the engine would, all before any host
 * is touched.
 */
public final class Compiler {

    private final Project project;
    private final Templates templates;

    public Compiler(Project project) {
        this.project = project;
        this.templates = new Templates(project.directory());
    }

    public Project project() {
        return project;
    }

    /**
     * The catalog of {@code hostName}, validated as the engine will run it, or every problem that stops it
     * from compiling.
     */
    public Engine.Prepared compile(String hostName, Map<String, Object> commandLineVars, Map<String, Object> facts)
            throws CompileException {
        Project.Host host = project.hosts().get(hostName);
        if (host == null) {
            throw new CompileException(List.of(Diagnostic.at(new Location(ProjectLoader.INVENTORY_FILE, 0, 0),
                    project.noSuchHost(hostName))));
        }
        List<Project.Role> roles = rolesOf(host);
        Map<String, Object> scope = Scope.forHost(project, host, roles, commandLineVars, facts);
        Problems problems = new Problems();
        EntryCompiler entries = new EntryCompiler(templates, new ProjectInputs(project.directory(), templates, problems));
        ResourceCompiler resources = new ResourceCompiler(entries);
        CheckCompiler checks = new CheckCompiler(entries);
        List<ResourceCompiler.Compiled> compiled = new ArrayList<>();
        List<ResourceCompiler.Compiled> wellFormed = new ArrayList<>();
        List<CheckCompiler.Compiled> compiledChecks = new ArrayList<>();
        for (Project.Role role : roles) {
            YamlReader yaml = role.yaml().reporting(problems);
            for (var entry : role.resources()) {
                int problemsBefore = problems.size();
                int first = compiled.size();
                resources.compile(yaml, entry, scope, compiled);
                if (problems.size() == problemsBefore) {
                    wellFormed.addAll(compiled.subList(first, compiled.size()));
                }
            }
            for (var entry : role.checks()) {
                checks.compile(yaml, entry, scope, compiledChecks);
            }
        }
        List<CatalogResource> unique = withoutDuplicates(compiled, problems);
        compiledChecks.forEach(check -> CheckCompiler.validate(check, problems));
        // Each well-formed resource's own rules are checked before the graph is built: the graph reads
        // attributes (a line's path) that only these rules promise are there. With other problems found, this
        // also names every problem one run can.
        Map<String, ResourceCompiler.Compiled> byId = byId(wellFormed);
        wellFormed.forEach(c -> Engine.validate(c.resource(), BuiltInTypes.REGISTRY)
                .forEach(p -> locate(p, byId, problems)));
        problems.throwIfAny();
        return prepareAsTheEngineWill(new Catalog(Catalog.VERSION, Scope.hostInfo(host), unique,
                compiledChecks.stream().map(CheckCompiler.Compiled::check).toList()), compiled);
    }

    /**
     * The catalogs of several hosts, in the order given, or every problem found across all of them, each
     * reported once even when hosts share the role it is in.
     */
    public Map<String, Engine.Prepared> compileAll(List<String> hostNames, Map<String, Object> commandLineVars,
                                                   Map<String, Object> facts) throws CompileException {
        Map<String, Engine.Prepared> catalogs = new LinkedHashMap<>();
        Problems problems = new Problems();
        for (String hostName : hostNames) {
            try {
                catalogs.put(hostName, compile(hostName, commandLineVars, facts));
            } catch (CompileException e) {
                e.problems().forEach(p -> problems.add(p.location(), p.summary()));
            }
        }
        problems.throwIfAny();
        return catalogs;
    }

    /** The roles of a host, from its groups in order, each once. */
    private List<Project.Role> rolesOf(Project.Host host) {
        List<Project.Role> roles = new ArrayList<>();
        for (String group : host.groups()) {
            for (String role : project.groups().get(group).roles()) {
                Project.Role loaded = project.roles().get(role);
                if (!roles.contains(loaded)) {
                    roles.add(loaded);
                }
            }
        }
        return roles;
    }

    private static List<CatalogResource> withoutDuplicates(List<ResourceCompiler.Compiled> compiled, Problems problems) {
        Map<String, Location> seen = new HashMap<>();
        List<CatalogResource> unique = new ArrayList<>();
        for (ResourceCompiler.Compiled c : compiled) {
            Location first = seen.putIfAbsent(c.resource().id(), c.location());
            if (first != null) {
                problems.add(c.location(), "duplicate resource " + c.resource().id() + ", first declared at " + first);
            } else {
                unique.add(c.resource());
            }
        }
        return unique;
    }

    /** Runs the engine's own catalog checks (references, conflicts, cycles) and places each problem in the files. */
    private static Engine.Prepared prepareAsTheEngineWill(Catalog catalog, List<ResourceCompiler.Compiled> compiled)
            throws CompileException {
        try {
            return Engine.prepare(catalog, BuiltInTypes.REGISTRY);
        } catch (InvalidCatalogException e) {
            Map<String, ResourceCompiler.Compiled> byId = byId(compiled);
            Problems problems = new Problems();
            e.problems().forEach(problem -> locate(problem, byId, problems));
            throw new CompileException(problems.list());
        }
    }

    private static Map<String, ResourceCompiler.Compiled> byId(List<ResourceCompiler.Compiled> compiled) {
        Map<String, ResourceCompiler.Compiled> byId = new HashMap<>();
        compiled.forEach(c -> byId.putIfAbsent(c.resource().id(), c));
        return byId;
    }

    /** Adds an engine problem at the attribute it names, or at the resource's declaration. */
    private static void locate(Diagnostic problem, Map<String, ResourceCompiler.Compiled> byId, Problems problems) {
        ResourceCompiler.Compiled origin = byId.get(problem.resourceId());
        Location location = origin.attributes().getOrDefault(problem.attribute(), origin.location());
        String subject = CatalogResource.display(problem.resourceId()) + (problem.attribute() == null ? "" : " " + problem.attribute());
        problems.add(location, subject + ": " + problem.summary());
    }
}

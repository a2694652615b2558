package dev.plumb.compiler;

import dev.plumb.agent.BuiltInTypes;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.Location;
import dev.plumb.catalog.Catalog;
import dev.plumb.catalog.CatalogResource;
import dev.plumb.catalog.ProjectSource;
import dev.plumb.engine.Engine;
import dev.plumb.engine.InvalidCatalogException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.Optional;

/**
 * Compiles a loaded project into the catalog of one host from that host's facts: merges the variables, expands the
 * roles' resources and checks, renders templates, and validates the result as the engine would, all before any host
 * is touched. The result is a value, a {@link CompiledCatalog}, that any transport can carry to its host.
 */
public final class Compiler {

    private final Project project;
    private final Templates templates;
    /** The git commit of the project, asked for once, at the first compile; null while not yet asked. */
    private Optional<ProjectSource> source;

    public Compiler(Project project) {
        this(project, Templates.MAX_RENDER_TIME);
    }

    /** A compiler whose templates may render for {@code renderTimeLimit}: tests of the limit need not wait 10 s. */
    Compiler(Project project, Duration renderTimeLimit) {
        this.project = project;
        this.templates = new Templates(project.directory(), renderTimeLimit);
    }

    public Project project() {
        return project;
    }

    /**
     * The catalog of {@code hostName}, compiled from that host's {@code facts} and validated as the engine will run
     * it, with where each entry was declared; or every problem that stops it from compiling.
     */
    public CompiledCatalog compile(String hostName, Map<String, Object> commandLineVars, Map<String, Object> facts)
            throws CompileException {
        Project.Host host = project.hosts().get(hostName);
        if (host == null) {
            throw new CompileException(List.of(Diagnostic.at(new Location(ProjectLoader.INVENTORY_FILE, 0, 0),
                    project.noSuchHost(hostName))));
        }
        // Facts first: a project fact that failed on the host would otherwise show as an undefined variable.
        project.facts().check("host " + hostName, facts);
        List<RoleUses.Use> uses = RoleUses.of(project, host);
        List<Project.Role> roles = uses.stream().map(RoleUses.Use::role).distinct().toList();
        Problems problems = new Problems();
        Map<String, Object> hostScope = Scope.forHost(project, host, roles, Map.of(), Map.of(), commandLineVars, facts,
                templates);
        // The names of vars files may use the host's variables and facts: found with those, then read into them.
        Map<String, Object> fromVarsFiles = new HashMap<>();
        for (Project.Role role : roles) {
            fromVarsFiles.putAll(VarsFiles.firstFound(project.directory(), role, hostScope, templates, problems));
        }
        // One scope per set of include variables: a role included with its own sees them above the host's.
        Map<Map<String, Object>, Map<String, Object>> scopes = new HashMap<>();
        if (fromVarsFiles.isEmpty()) {
            scopes.put(Map.of(), hostScope);
        }
        Function<RoleUses.Use, Map<String, Object>> scopeOf = use -> scopes.computeIfAbsent(use.includeVars(),
                includeVars -> Scope.forHost(project, host, roles, fromVarsFiles, includeVars, commandLineVars, facts,
                        templates));
        for (RoleUses.Use use : uses) {
            for (RoleParameter parameter : use.role().parameters()) {
                parameter.check(host.name(), scopeOf.apply(use), problems);
            }
        }
        // A role given wrong parameters would only add what follows from them: undefined variables, say.
        problems.throwIfAny();
        EntryCompiler entries = new EntryCompiler(templates, new ProjectInputs(project.directory(), templates, problems));
        ResourceCompiler resources = new ResourceCompiler(entries);
        CheckCompiler checks = new CheckCompiler(entries);
        List<ResourceCompiler.Compiled> compiled = new ArrayList<>();
        List<ResourceCompiler.Compiled> wellFormed = new ArrayList<>();
        List<CheckCompiler.Compiled> compiledChecks = new ArrayList<>();
        for (RoleUses.Use use : uses) {
            Project.Role role = use.role();
            Map<String, Object> scope = scopeOf.apply(use);
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
        compiled = resources.withoutLeftOut(compiled);
        wellFormed = resources.withoutLeftOut(wellFormed);
        List<CatalogResource> unique = withoutDuplicates(compiled, problems);
        compiledChecks.forEach(check -> CheckCompiler.validate(check, problems));
        // Each well-formed resource's own rules are checked before the graph is built: the graph reads
        // attributes (a line's path) that only these rules promise are there. With other problems found, this
        // also names every problem one run can.
        Declarations wellFormedDeclarations = new Declarations(wellFormed, compiledChecks);
        wellFormed.forEach(c -> Engine.validate(c.resource(), BuiltInTypes.REGISTRY)
                .forEach(p -> wellFormedDeclarations.locate(p, problems)));
        problems.throwIfAny();
        Catalog catalog = new Catalog(Catalog.VERSION, Scope.hostInfo(host), unique,
                compiledChecks.stream().map(CheckCompiler.Compiled::check).toList(), source());
        return new CompiledCatalog(catalog, sourceMap(compiled, compiledChecks),
                validateAsTheEngineWill(catalog, new Declarations(compiled, compiledChecks)));
    }

    /**
     * The catalogs of several hosts, in the order given, each compiled from its own facts ({@code factsOf} the host's
     * name); or every problem found across all of them, each reported once even when hosts share the role it is in.
     */
    public Map<String, CompiledCatalog> compileAll(List<String> hostNames, Map<String, Object> commandLineVars,
                                                   Function<String, Map<String, Object>> factsOf) throws CompileException {
        Map<String, CompiledCatalog> catalogs = new LinkedHashMap<>();
        Problems problems = new Problems();
        for (String hostName : hostNames) {
            try {
                catalogs.put(hostName, compile(hostName, commandLineVars, factsOf.apply(hostName)));
            } catch (CompileException e) {
                e.problems().forEach(p -> problems.add(p.location(), p.summary()));
            }
        }
        problems.throwIfAny();
        return catalogs;
    }

    /** Which commit the project is at, when it is a git checkout: every host's catalog names it. */
    private ProjectSource source() {
        if (source == null) {
            source = Optional.ofNullable(GitCheckout.of(project.directory()));
        }
        return source.orElse(null);
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

    /**
     * Runs the engine's own catalog checks (references, conflicts, cycles) and places each problem in the files; returns
     * the catalog prepared to run, so that a run on this machine need not prepare it again.
     */
    private static Engine.Prepared validateAsTheEngineWill(Catalog catalog, Declarations declarations)
            throws CompileException {
        try {
            return Engine.prepare(catalog, BuiltInTypes.REGISTRY);
        } catch (InvalidCatalogException e) {
            Problems problems = new Problems();
            e.problems().forEach(problem -> declarations.locate(problem, problems));
            throw new CompileException(problems.list());
        }
    }

    /** Where each resource and check was declared; a duplicate's first declaration is the one in the catalog. */
    private static SourceMap sourceMap(List<ResourceCompiler.Compiled> resources, List<CheckCompiler.Compiled> checks) {
        Map<String, Location> resourceSources = new HashMap<>();
        resources.forEach(c -> resourceSources.putIfAbsent(c.resource().id(), c.location()));
        Map<String, Location> checkSources = new HashMap<>();
        checks.forEach(c -> checkSources.putIfAbsent(c.check().display(), c.target()));
        return new SourceMap(resourceSources, checkSources);
    }

    /** Where the resources and checks the engine's problems name were declared, by the ids the engine gives them. */
    static final class Declarations {

        private final Map<String, ResourceCompiler.Compiled> resources = new HashMap<>();
        private final Map<String, CheckCompiler.Compiled> checks = new HashMap<>();

        Declarations(List<ResourceCompiler.Compiled> resources, List<CheckCompiler.Compiled> checks) {
            resources.forEach(c -> this.resources.putIfAbsent(c.resource().id(), c));
            checks.forEach(c -> this.checks.putIfAbsent(Engine.checkId(c.check()), c));
        }

        /**
         * Adds an engine problem at the attribute it names, or at the declaration of its resource or check; one
         * about an entry not declared here (none is) goes to the inventory rather than nowhere.
         */
        void locate(Diagnostic problem, Problems problems) {
            ResourceCompiler.Compiled resource = resources.get(problem.resourceId());
            CheckCompiler.Compiled check = checks.get(problem.resourceId());
            Location location = resource != null ? at(problem.attribute(), resource.attributes(), resource.location())
                    : check != null ? at(problem.attribute(), check.attributes(), check.target())
                    : new Location(ProjectLoader.INVENTORY_FILE, 0, 0);
            String entry = check != null ? check.check().display() : CatalogResource.display(problem.resourceId());
            String subject = entry + (problem.attribute() == null ? "" : " " + problem.attribute());
            problems.add(location, subject + ": " + problem.summary());
        }

        /** Where {@code attribute} was declared, or the whole entry's {@code declaration} for none. */
        private static Location at(String attribute, Map<String, Location> attributes, Location declaration) {
            return attribute == null ? declaration : attributes.getOrDefault(attribute, declaration);
        }
    }
}

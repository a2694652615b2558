package dev.plumb.cli;

import dev.plumb.agent.BuiltInTypes;
import dev.plumb.api.Context;
import dev.plumb.api.Services;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.RunReport;
import dev.plumb.compiler.Compiler;
import dev.plumb.compiler.ProjectLoader;
import dev.plumb.engine.Engine;
import dev.plumb.facts.Facts;
import dev.plumb.providers.Providers;
import dev.plumb.system.BackupStore;
import dev.plumb.system.ProcessCommandRunner;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a resident agent does on each run, timed in one JVM (bench/engine runs it): one Engine kept warm applies the
 * same compiled catalog again and again; every run after the first is a no-op. Prints the median and minimum of
 * the runs after a warm-up, for the converge alone and for compile plus converge (an agent that re-reads its project
 * each time).
 *
 * <p>Usage: {@code ResidentEngineBench PROJECT HOST STATE_DIR RUNS [name=value ...]} (vars as {@code --var}).
 */
final class ResidentEngineBench {

    private static final int WARM_UP = 50;

    private ResidentEngineBench() {
    }

    public static void main(String[] args) throws Exception {
        Path project = Path.of(args[0]);
        String host = args[1];
        Path state = Path.of(args[2]);
        int runs = Integer.parseInt(args[3]);
        Map<String, Object> vars = ProjectOptions.typed(parseVars(Arrays.copyOfRange(args, 4, args.length)));
        Map<String, Object> facts = Facts.ofThisHost();
        Compiler compiler = new Compiler(ProjectLoader.load(project));
        Engine.Prepared catalog = compiler.compile(host, vars, facts).prepared();

        ProcessCommandRunner commands = new ProcessCommandRunner();
        Context context = new Context(commands, new BackupStore(state.resolve("backups")),
                Services.of(new Providers(commands, facts)), Set.of());
        Engine engine = new Engine(context, BuiltInTypes.REGISTRY, Engine.defaultParallelism(), Clock.systemUTC());
        RunReport first = engine.run(catalog, Mode.APPLY);
        System.out.printf("catalog: %d resources; first apply changed %d%n", first.summary().resources(),
                first.summary().changed());

        long[] converge = new long[runs];
        long[] compileAndConverge = new long[runs];
        for (int i = -WARM_UP; i < runs; i++) {
            long start = System.nanoTime();
            RunReport report = engine.run(catalog, Mode.APPLY);
            long converged = System.nanoTime();
            engine.run(compiler.compile(host, vars, facts).prepared(), Mode.APPLY);
            long recompiled = System.nanoTime();
            if (report.summary().changed() != 0 || report.summary().failed() != 0) {
                throw new IllegalStateException("run " + i + " was not a no-op: " + report.summary());
            }
            if (i >= 0) {
                converge[i] = converged - start;
                compileAndConverge[i] = recompiled - converged;
            }
        }
        print("no-op converge, one warm engine", converge);
        print("compile + no-op converge", compileAndConverge);
    }

    private static Map<String, String> parseVars(String[] assignments) {
        return Arrays.stream(assignments).map(a -> a.split("=", 2))
                .collect(Collectors.toMap(a -> a[0], a -> a[1]));
    }

    private static void print(String label, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("%-36s median %6.2f ms   min %6.2f ms   (%d runs)%n", label,
                sorted[(sorted.length - 1) / 2] / 1e6, sorted[0] / 1e6, sorted.length);
    }
}

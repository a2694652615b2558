package dev.plumb.agent;

import dev.plumb.catalog.Catalog;
import dev.plumb.catalog.Json;
import dev.plumb.engine.Engine;
import dev.plumb.engine.InvalidCatalogException;
import dev.plumb.engine.Mode;
import dev.plumb.engine.RunReport;
import dev.plumb.facts.Facts;
import dev.plumb.report.TextRenderer;
import dev.plumb.system.FileErrors;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;

/**
 * {@code java -jar plumb-agent.jar apply|plan|check CATALOG.json [--format text|json] [--state-dir DIR]}:
 * runs a compiled catalog on this host. Exit codes are those of the plumb command.
 */
public final class AgentMain {

    private static final String USAGE =
            "usage: plumb-agent apply|plan|check CATALOG.json [--format text|json] [--state-dir DIR]";

    private AgentMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 2 || !args[0].matches("apply|plan|check")) {
            err.println(USAGE);
            return 1;
        }
        Mode mode = Mode.valueOf(args[0].toUpperCase());
        Path catalogFile = Path.of(args[1]);
        String format = "text";
        Path stateDirectory = null;
        for (int i = 2; i < args.length; i++) {
            if (args[i].equals("--format") && i + 1 < args.length) {
                format = args[++i];
            } else if (args[i].equals("--state-dir") && i + 1 < args.length) {
                stateDirectory = Path.of(args[++i]);
            } else {
                err.println("unknown argument '" + args[i] + "'\n" + USAGE);
                return 1;
            }
        }
        try {
            Catalog catalog = Json.MAPPER.readValue(Files.readAllBytes(catalogFile), Catalog.class);
            if (catalog.version() != Catalog.VERSION) {
                err.println(catalogFile + ": catalog version " + catalog.version() + " is not supported; this agent reads version "
                        + Catalog.VERSION);
                return 1;
            }
            RunReport report = new LocalRun(StateDirectory.resolve(stateDirectory), Facts.ofThisHost()).run(Engine.prepare(catalog), mode);
            out.print(format.equals("json") ? Json.MAPPER.writeValueAsString(report) + "\n" : new TextRenderer(false).render(report));
            return report.exitCode();
        } catch (InvalidCatalogException e) {
            err.println(catalogFile + ": invalid catalog, nothing was changed:\n" + e.getMessage());
            return 1;
        } catch (JacksonException e) {
            err.println(catalogFile + ": not a plumb catalog: " + e.getOriginalMessage());
            return 1;
        } catch (IOException e) {
            err.println(catalogFile + ": " + FileErrors.describe(e));
            return 1;
        }
    }
}

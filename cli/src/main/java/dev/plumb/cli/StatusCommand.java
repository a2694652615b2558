package dev.plumb.cli;

import dev.plumb.catalog.Json;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** {@code plumb status --server URL}: the fleet as the server knows it, one host a line. */
final class StatusCommand implements Callable<Integer> {

    /** How much of a commit the table shows, as git's short form does. */
    private static final int SHORT_COMMIT = 12;

    final CommandSpec spec = CommandSpecs.command(this, "status", "Show every host the server knows: its status, the "
            + "commit it runs and its last report.%nExit: 0 shown, 1 the server refused or cannot be reached.");

    private final AdminOptions admin = new AdminOptions(spec);

    private final OptionSpec formatOption = CommandSpecs.option("--format", String.class, "FORMAT",
            "text (default) or json (the API's answer)").defaultValue("text").build();

    StatusCommand() {
        spec.addOption(formatOption);
    }

    @Override
    public Integer call() {
        String format = formatOption.getValue();
        if (!format.equals("text") && !format.equals("json")) {
            spec.commandLine().getErr().println("plumb: --format " + format + ": status prints text or json");
            return ExitCodes.INVALID;
        }
        PrintWriter out = spec.commandLine().getOut();
        return admin.call(spec, client -> client.get("/api/v1/hosts"), body -> {
            List<Map<String, Object>> hosts = Json.MAPPER.readValue(body, List.class);
            if (format.equals("json")) {
                out.println(Json.MAPPER.writeValueAsString(hosts));
            } else {
                printTable(hosts, out);
            }
        });
    }

    static void printTable(List<Map<String, Object>> hosts, PrintWriter out) {
        String row = "%-" + Math.max(4, hosts.stream().mapToInt(h -> String.valueOf(h.get("host")).length()).max().orElse(0))
                + "s  %-15s  %-12s  %s%n";
        out.printf(row, "HOST", "STATUS", "COMMIT", "LAST REPORT");
        for (Map<String, Object> host : hosts) {
            Object commit = host.get("commit");
            out.printf(row, host.get("host"), host.get("status"),
                    commit == null ? "-" : commit.toString().substring(0, Math.min(SHORT_COMMIT, commit.toString().length())),
                    host.get("lastReportAt") == null ? "never" : host.get("lastReportAt"));
        }
        out.flush();
    }
}

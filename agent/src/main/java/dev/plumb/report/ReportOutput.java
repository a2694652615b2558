package dev.plumb.report;

import dev.plumb.api.Printable;
import dev.plumb.catalog.Json;
import dev.plumb.catalog.RunReport;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Prints the reports of a run in one {@link Format} and decides the exit code, the same for the plumb command and
 * the agent: text as each host finishes, then for several hosts a table of them all; the other formats once every
 * host has, in the hosts' order whatever order they finished in. JSON is always an array of reports, one per host.
 * Also answers input that cannot be run, which for Nagios is UNKNOWN.
 */
public final class ReportOutput {

    /** The exit code for input that cannot be run (outside Nagios). */
    public static final int INVALID = 1;

    private final Format format;
    private final List<String> hosts;
    private final PrintWriter out;
    private final TextRenderer text;
    private final List<HostTable.Row> reports = new ArrayList<>();

    /** Prints the one report of a run to {@code out} in {@code format}. */
    public ReportOutput(Format format, boolean color, PrintWriter out) {
        this(format, color, List.of(), out);
    }

    /**
     * Prints the reports of {@code hosts}, in this order, to {@code out} in {@code format}; with more than one host,
     * text puts {@code == host ==} above each host's report and ends with a table of the hosts.
     */
    public ReportOutput(Format format, boolean color, List<String> hosts, PrintWriter out) {
        this.format = format;
        this.hosts = List.copyOf(hosts);
        this.out = out;
        this.text = new TextRenderer(color);
    }

    /** Takes the report of a run that was not timed from outside, as the agent's own. */
    public void add(RunReport report) {
        add(report, Duration.ofMillis(report.engineMillis()));
    }

    /**
     * Takes one host's report and how long the host took, whole; text prints it at once, so that a long run shows
     * progress. Safe to call from the threads that run the hosts.
     */
    public synchronized void add(RunReport report, Duration took) {
        reports.add(new HostTable.Row(report, took));
        if (format == Format.text) {
            boolean headed = hosts.size() > 1;
            if (headed) {
                out.print("== " + Printable.escape(report.host()) + " ==\n");
            }
            out.print(text.render(report));
            out.flush();
        }
    }

    /**
     * Prints what only the whole run can say (the machine formats) and returns the exit code: changes and failures
     * of every host added up (0, 2, 4 or 6), or for Nagios the plugin's code.
     */
    public synchronized int finish() {
        reports.sort(Comparator.comparingInt(row -> hosts.indexOf(row.report().host())));
        List<RunReport> reports = this.reports.stream().map(HostTable.Row::report).toList();
        int exitCode = reports.stream().mapToInt(RunReport::exitCode).reduce(0, (a, b) -> a | b);
        switch (format) {
            case json -> out.print(Json.MAPPER.writeValueAsString(reports) + "\n");
            case junit -> out.print(new JUnitRenderer().render(reports));
            case tap -> out.print(new TapRenderer().render(reports));
            case nagios -> {
                NagiosRenderer.Result nagios = new NagiosRenderer().render(reports);
                out.print(nagios.output());
                exitCode = nagios.exitCode();
            }
            case text -> {
                if (hosts.size() > 1) {
                    out.print("\n" + HostTable.render(this.reports));
                }
            }
        }
        out.flush();
        return exitCode;
    }

    /**
     * Answers input that cannot be run (a usage error, a project that does not compile, a catalog the agent cannot
     * read), whose {@code reason} the caller has told on standard error: Nagios prints UNKNOWN with the reason's
     * first line and exits 3; every other format prints nothing and exits 1.
     */
    public static int refuse(Format format, String reason, PrintWriter out) {
        if (format != Format.nagios) {
            return INVALID;
        }
        NagiosRenderer.Result unknown = NagiosRenderer.unknown(reason.lines().findFirst().orElse(reason));
        out.print(unknown.output());
        out.flush();
        return unknown.exitCode();
    }
}

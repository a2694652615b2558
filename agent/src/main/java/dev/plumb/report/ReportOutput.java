package dev.plumb.report;

import dev.plumb.catalog.Json;
import dev.plumb.catalog.RunReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints the reports of a run in one {@link Format} and decides the exit code, the same for the plumb command and
 * the agent: text as each host finishes, the other formats once every host has; JSON is always an array of
 * reports, one per host. Also answers input that cannot be run, which for Nagios is UNKNOWN.
 */
public final class ReportOutput {

    /** The exit code for input that cannot be run (outside Nagios). */
    public static final int INVALID = 1;

    private final Format format;
    private final boolean headed;
    private final PrintWriter out;
    private final TextRenderer text;
    private final List<RunReport> reports = new ArrayList<>();

    /**
     * Prints to {@code out} in {@code format}; with {@code headed}, text puts {@code == host ==} above each host's
     * report, as when several hosts run.
     */
    public ReportOutput(Format format, boolean color, boolean headed, PrintWriter out) {
        this.format = format;
        this.headed = headed;
        this.out = out;
        this.text = new TextRenderer(color);
    }

    /** Takes one host's report; text prints it at once, so that a long run shows progress. */
    public void add(RunReport report) {
        reports.add(report);
        if (format == Format.text) {
            if (headed) {
                out.print("== " + report.host() + " ==\n");
            }
            out.print(text.render(report));
            out.flush();
        }
    }

    /**
     * Prints what only the whole run can say (the machine formats) and returns the exit code: changes and failures
     * of every host added up (0, 2, 4 or 6), or for Nagios the plugin's code.
     */
    public int finish() {
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
            case text -> { }
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

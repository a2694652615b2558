package dev.plumb.cli;

import dev.plumb.catalog.Json;
import dev.plumb.catalog.RunReport;
import dev.plumb.server.ServerClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Posts the reports of a run over SSH to a plumb server; one that does not get there is said, and stays on disk. */
final class ReportPoster {

    private final URI server;
    private final ServerClient client;

    ReportPoster(URI server, ServerClient client) {
        this.server = server;
        this.client = client;
    }

    /** Posts {@code report}; a refusal or an unreachable server is one line on {@code err}, and the run goes on. */
    void post(RunReport report, PrintWriter err) {
        String problem;
        try {
            ServerClient.Response response = client.postCompressed("/api/v1/hosts/" + URLEncoder.encode(report.host(),
                    StandardCharsets.UTF_8) + "/reports", Json.MAPPER.writeValueAsBytes(report));
            if (response.ok()) {
                return;
            }
            problem = "the server answered " + response.status() + ": " + response.error();
        } catch (IOException e) {
            problem = AdminOptions.unreachable(server, e);
        }
        synchronized (err) {
            err.println("plumb: " + report.host() + "'s report " + report.runId() + " was not posted: " + problem);
            err.flush();
        }
    }
}

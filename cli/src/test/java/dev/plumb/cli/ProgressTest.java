package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.catalog.Mode;
import dev.plumb.catalog.RunReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTest {

    private static final String CLEAR = "\r\u001b[K";

    private final StringWriter err = new StringWriter();

    private static RunReport changed(String host) {
        return new RunReport("id", host, Mode.APPLY, "sha", null, "2026-11-29T12:00:00Z", 5,
                new RunReport.Summary(2, 1, 0, 0), List.of(), null);
    }

    @Test
    void onATerminalOneLineIsRedrawnAndClearedWhileAReportPrints() {
        Progress progress = new Progress(new PrintWriter(err), true, "apply", 6);
        for (String host : List.of("web1", "web2", "web3", "web4", "web5", "web6")) {
            progress.started(host);
        }
        StringBuilder printedOver = new StringBuilder();
        progress.finished("web1", changed("web1"), Duration.ofMillis(1400), () -> printedOver.append(err.toString()));
        progress.end();

        assertThat(printedOver.toString()).endsWith(CLEAR);
        assertThat(err.toString()).endsWith(CLEAR + "apply: 1/6 done, 1 changed, 0 failed; running web2, web3, web4, web5 and 1 more"
                + CLEAR).doesNotContain("\n");
    }

    @Test
    void elsewhereEachHostThatEndsGetsOnePlainLine() {
        Progress progress = new Progress(new PrintWriter(err), false, "apply", 2);
        progress.started("web1");
        progress.finished("web1", changed("web1"), Duration.ofMillis(1400), () -> { });
        progress.finished("web2", RunReport.unreachable("id", "web2", Mode.APPLY, "2026-11-29T12:00:00Z",
                "not reachable: connection refused\nsecond line"), Duration.ofMillis(20), () -> { });
        progress.end();

        assertThat(err.toString()).isEqualTo("apply web1: 1 changed, 0 failed (1.4 s)\n"
                + "apply web2: error: not reachable: connection refused (0.0 s)\n");
    }
}

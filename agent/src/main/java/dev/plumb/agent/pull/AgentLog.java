package dev.plumb.agent.pull;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The agent's log: one line per event on standard error, flushed at once so that a journal or a log file has it as
 * it happens, with its time unless systemd's journal, which adds its own, receives it. Lines are built from the agent's own words and the server's error messages only, never
 * from the credential or a catalog's content.
 */
public final class AgentLog {

    /** Longer text from a server is cut here: a log line is a line, not a dump. */
    private static final int MAX_LENGTH = 500;

    private final PrintWriter err;
    /** The clock that dates each line; null when the journal dates them. */
    private final Clock clock;

    public AgentLog(PrintWriter err, Clock clock) {
        this.err = err;
        this.clock = clock;
    }

    /** The log of this process on {@code err}: dated, unless systemd connected standard error to the journal. */
    static AgentLog of(PrintWriter err) {
        return new AgentLog(err, System.getenv("JOURNAL_STREAM") == null ? Clock.systemUTC() : null);
    }

    /** Logs {@code message} as one line: line breaks and control characters become spaces. */
    public void event(String message) {
        String line = message.replaceAll("\\p{Cntrl}+", " ").strip();
        if (line.length() > MAX_LENGTH) {
            line = line.substring(0, MAX_LENGTH) + "...";
        }
        err.println((clock == null ? "" : Instant.now(clock).truncatedTo(ChronoUnit.SECONDS) + " ") + "plumb-agent: " + line);
        err.flush();
    }
}

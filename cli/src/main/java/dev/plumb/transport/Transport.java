package dev.plumb.transport;

import dev.plumb.agent.RunRefusedException;
import dev.plumb.catalog.RunReport;
import dev.plumb.compiler.CompiledCatalog;
import java.io.IOException;
import java.util.Map;

/**
 * The way to one host: its facts come from the host itself, and a catalog compiled from them runs there. Every
 * run of plumb goes catalog → transport → report, whatever the host is.
 */
public interface Transport {

    /** The host's facts, as {@code plumb-agent facts} prints them there. */
    Map<String, Object> facts() throws HostUnreachableException;

    /**
     * Gets the host ready for runs with these {@code options}, before any of them changes anything: for an apply on
     * this machine, takes the host's run lock (over SSH the agent takes it there as it runs). Runs end with
     * {@link Transports#close}.
     */
    void begin(RunOptions options) throws HostUnreachableException, RunRefusedException;

    /** Runs {@code catalog}, compiled for the host, there as {@link #begin} set up and returns its report. */
    RunReport run(CompiledCatalog catalog) throws IOException;

    /** Stops the run in progress from another thread (a signal handler): it ends with the report of what was done. */
    void interrupt();

    /**
     * Makes the host able to run the agent: installs Java where none is found ({@code apt-get install
     * openjdk-17-jre-headless}, as root or through {@code become}). Returns what was done, in one line.
     */
    String bootstrap() throws HostUnreachableException;
}

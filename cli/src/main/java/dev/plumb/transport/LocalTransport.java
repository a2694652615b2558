package dev.plumb.transport;

import dev.plumb.agent.LocalRun;
import dev.plumb.agent.RunRefusedException;
import dev.plumb.agent.StateDirectory;
import dev.plumb.catalog.RunReport;
import dev.plumb.compiler.CompiledCatalog;
import dev.plumb.facts.FactRequest;
import dev.plumb.facts.Facts;
import java.io.IOException;
import java.util.Map;

/**
 * This machine: its facts are gathered here, once, and catalogs run in this process through the agent's
 * {@link LocalRun}, as {@code plumb-agent} runs them on a host it was copied to.
 */
final class LocalTransport implements Transport, AutoCloseable {

    private final Object oneRunAtATime = new Object();
    private final FactRequest factRequest;
    private Map<String, Object> facts;
    private LocalRun localRun;
    private RunOptions options;

    /** This machine, whose facts are gathered as {@code factRequest} asks. */
    LocalTransport(FactRequest factRequest) {
        this.factRequest = factRequest;
    }

    @Override
    public synchronized Map<String, Object> facts() {
        if (facts == null) {
            facts = Facts.ofThisHost(factRequest);
        }
        return facts;
    }

    /** Opens the local run once: every host of the project that is this machine runs under the same lock. */
    @Override
    public synchronized void begin(RunOptions options) throws RunRefusedException {
        if (localRun == null) {
            localRun = LocalRun.open(StateDirectory.resolve(options.stateDirectory()), facts(), options.mode(),
                    options.lockWait());
            this.options = options;
        }
    }

    /**
     * Runs the catalog as the compiler prepared it: here, nothing need be validated twice. The hosts that are this
     * machine run one after the other, as one apply at a time may run on a host.
     */
    @Override
    public RunReport run(CompiledCatalog catalog) throws IOException {
        // Not the object's own monitor, which interrupt() takes while a run goes on.
        synchronized (oneRunAtATime) {
            return localRun.run(catalog.prepared(), options.checks());
        }
    }

    @Override
    public synchronized void interrupt() {
        if (localRun != null) {
            localRun.interrupt();
        }
    }

    /** plumb runs here already, so this machine has the Java the agent needs. */
    @Override
    public String bootstrap() {
        return "nothing to do: plumb runs here, on Java " + Runtime.version().feature();
    }

    @Override
    public synchronized void close() {
        if (localRun != null) {
            localRun.close();
        }
    }
}

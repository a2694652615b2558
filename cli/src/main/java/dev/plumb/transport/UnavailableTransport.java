package dev.plumb.transport;

import dev.plumb.catalog.RunReport;
import dev.plumb.compiler.CompiledCatalog;
import java.util.Map;

/** A host at an address, which plumb cannot reach yet: every step says so. */
final class UnavailableTransport implements Transport {

    private final String address;

    UnavailableTransport(String address) {
        this.address = address;
    }

    @Override
    public Map<String, Object> facts() throws HostUnreachableException {
        throw unreachable();
    }

    @Override
    public void begin(RunOptions options) throws HostUnreachableException {
        throw unreachable();
    }

    /** Never reached: without facts the host has no catalog. */
    @Override
    public RunReport run(CompiledCatalog catalog) {
        throw new IllegalStateException("a catalog for unreachable address " + address + " (this is a bug in plumb)");
    }

    @Override
    public String bootstrap() throws HostUnreachableException {
        throw unreachable();
    }

    @Override
    public void interrupt() {
        // Nothing runs there.
    }

    private HostUnreachableException unreachable() {
        return new HostUnreachableException("not reachable: SSH transport is not available yet (address " + address + ")");
    }
}

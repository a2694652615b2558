package dev.plumb.transport;

import dev.plumb.compiler.Project;

/**
 * Picks the transport of each host of a command, and ends them all when it is done: the hosts that are this
 * machine share one local transport, the others are reached at their address.
 */
public final class Transports implements AutoCloseable {

    private final LocalTransport local = new LocalTransport();
    private final SshOptions ssh;

    /** Hosts at an address are reached as {@code ssh} says. */
    public Transports(SshOptions ssh) {
        this.ssh = ssh;
    }

    /** This machine, as {@code plumb facts} without a host shows it, for a command that runs no catalog. */
    public static Transport thisMachine() {
        return new LocalTransport();
    }

    /** The way to {@code host}. */
    public Transport forHost(Project.Host host) {
        return host.local() ? local : new UnavailableTransport(host.ssh().address());
    }

    /** Stops every run in progress, from a signal handler. */
    public void interrupt() {
        local.interrupt();
    }

    /** Ends the runs: releases what {@link Transport#begin} took, such as the run lock. */
    @Override
    public void close() {
        local.close();
    }
}

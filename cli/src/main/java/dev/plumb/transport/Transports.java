package dev.plumb.transport;

import dev.plumb.compiler.Project;
import dev.plumb.facts.FactRequest;
import dev.plumb.transport.ssh.OpenSshFiles;
import dev.plumb.transport.ssh.SshConnector;
import dev.plumb.transport.ssh.SshTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Picks the transport of each host of a command, and ends them all when it is done: the hosts that are this
 * machine share one local transport, each host at an address has its own SSH transport (one connection for its
 * whole run). Safe to use from one thread per host.
 */
public final class Transports implements AutoCloseable {

    private final LocalTransport local;
    private final SshConnector ssh;
    private final FactRequest facts;
    private final Map<String, SshTransport> remote = new ConcurrentHashMap<>();

    /** For a command that gathers no facts: hosts at an address are reached as {@code ssh} says. */
    public Transports(SshOptions ssh) {
        this(ssh, FactRequest.NONE);
    }

    /**
     * Hosts at an address are reached as {@code ssh} says, with the SSH settings of the user running plumb; every
     * host gathers the {@code facts} the project asks for.
     */
    public Transports(SshOptions ssh, FactRequest facts) {
        this(ssh, OpenSshFiles.ofThisUser(), facts);
    }

    /** Hosts at an address are reached as {@code ssh} says, with the OpenSSH settings in {@code files}. */
    public Transports(SshOptions ssh, OpenSshFiles files, FactRequest facts) {
        this.ssh = new SshConnector(ssh, files);
        this.facts = facts;
        this.local = new LocalTransport(facts);
    }

    /** This machine with every fact plumb knows of it, as {@code plumb facts} without a host shows it. */
    public static Transport thisMachine() {
        return new LocalTransport(FactRequest.ALL_BUILT_IN);
    }

    /** The way to {@code host}: the same transport every time for the same host. */
    public Transport forHost(Project.Host host) {
        return host.local() ? local : remote.computeIfAbsent(host.name(), name -> new SshTransport(host, ssh, facts));
    }

    /**
     * Stops every run in progress, from a signal handler: every host at once, without waiting for them (each stops
     * its agent in order, which then reports what it did).
     */
    public void interrupt() {
        local.interrupt();
        for (SshTransport host : remote.values()) {
            Thread stop = new Thread(host::interrupt, "plumb-interrupt");
            stop.setDaemon(true);
            stop.start();
        }
    }

    /** {@code host} has run: its SSH connection, if it has one, ends now rather than with the whole command. */
    public void done(Project.Host host) {
        SshTransport transport = remote.get(host.name());
        if (transport != null) {
            transport.close();
        }
    }

    /**
     * Ends the runs: releases what {@link Transport#begin} took, such as the run lock, and every SSH connection, all
     * hosts at once (each may wait, bounded, for an agent that ran nothing to end).
     */
    @Override
    public void close() {
        local.close();
        List<Thread> closing = new ArrayList<>();
        for (SshTransport host : remote.values()) {
            Thread close = new Thread(host::close, "plumb-close");
            close.setDaemon(true);
            close.start();
            closing.add(close);
        }
        for (Thread close : closing) {
            try {
                close.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        ssh.close();
    }
}

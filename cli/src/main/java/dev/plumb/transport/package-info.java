/**
 * How the controller reaches a host: a {@link dev.plumb.transport.Transport} gathers the host's facts, which its
 * catalog is compiled from, and runs the catalog there, returning the run's report. The commands pick one per host
 * through {@link dev.plumb.transport.Transports} and never ask what kind of host it is.
 */
package dev.plumb.transport;

/**
 * Facts: what a host is (name, OS, kernel, CPUs, memory, addresses, virtualisation, installed packages), read from the
 * host itself, with what its administrator gives in {@code /etc/plumb/facts.d} and the facts a project defines as
 * commands ({@link dev.plumb.facts.FactRequest}).
 */
package dev.plumb.facts;

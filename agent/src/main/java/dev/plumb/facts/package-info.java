/** Facts: what a host is (name, OS, kernel, CPUs, memory, addresses), read from the host itself. */
package dev.plumb.facts;

/** A dependency graph of resource ids: pure, deterministic, no I/O. */
package dev.plumb.graph;

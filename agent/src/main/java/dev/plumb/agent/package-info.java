/** The agent's entry point: applies a compiled catalog file on this host. */
package dev.plumb.agent;

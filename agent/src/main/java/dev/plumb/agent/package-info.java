/**
 * The agent's entry point, which applies a compiled catalog file on this host, and the life of a local run shared
 * with the CLI: the state directory, the host-wide run lock, pending refreshes and an orderly stop on a signal.
 */
package dev.plumb.agent;

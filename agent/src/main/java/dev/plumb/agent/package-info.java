/**
 * The agent's entry point, which applies a compiled catalog file on this host, and the life of a local run shared
 * with the CLI: the state directory, the host-wide run lock, pending refreshes and an orderly stop on a signal. It is
 * the composition root: it hands the engine the built-in types ({@link dev.plumb.agent.BuiltInTypes}) and gives
 * resources and checks the providers chosen for this host.
 */
package dev.plumb.agent;

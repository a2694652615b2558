/**
 * The host side of pulling: an agent enrolls with a plumb server once (trading a one-time token for a credential of
 * its own, over TLS it trusts only after checking the server's CA against the token), then on every round sends its
 * facts, receives its catalog, applies it as every local run does ({@link dev.plumb.agent.LocalRun}) and posts the
 * report, which waits in a spool on disk until the server has accepted it. It also installs itself as a service.
 * The HTTP API it speaks is the server's, {@code /api/v1}, over java.net.http and the JDK's TLS.
 */
package dev.plumb.agent.pull;

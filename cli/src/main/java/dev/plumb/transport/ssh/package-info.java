/**
 * The SSH transport: one OpenSSH-compatible connection per host (Apache MINA SSHD) that verifies the host's key
 * against {@code known_hosts}, honours {@code ~/.ssh/config} and the ssh-agent, makes sure the host has Java and the
 * agent jar, and runs the agent there for facts and catalogs, each fault told in one line.
 */
package dev.plumb.transport.ssh;

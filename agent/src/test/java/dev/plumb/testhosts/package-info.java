/**
 * Test hosts that are whole Debian systems with systemd as PID 1, booted with systemd-nspawn from an image that
 * debootstrap builds once per checkout: for the service contract against real systemd and for SSH tests against real
 * servers. Shared with the cli module's tests through the agent's test jar.
 */
package dev.plumb.testhosts;

/**
 * Providers: how resource types read and change system state on a kind of host (apt/dpkg packages, systemd
 * or sysv services, shadow-utils accounts). Each provider says where it fits from the host's facts; {@link
 * dev.plumb.providers.Providers} chooses among them in one place. Every command goes through the runner seam.
 */
package dev.plumb.providers;

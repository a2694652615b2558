/** The seams to the host's system: atomic writes, backups, file attributes, commands, diffs. */
package dev.plumb.system;

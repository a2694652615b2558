/** The host's system behind the api seams: atomic writes, the backup store, file attributes, commands, diffs. */
package dev.plumb.system;

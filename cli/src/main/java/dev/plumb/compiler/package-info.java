/**
 * The compiler: reads a project (plumb.yaml, inventory.yaml, roles, templates, files), validates all of it,
 * and compiles one fully resolved catalog per host. Every problem names its file, line and column.
 */
package dev.plumb.compiler;

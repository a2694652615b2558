/**
 * The contracts at the bottom of plumb: what a resource or check type implements (Resource and its capabilities,
 * Check), what it gets of the host (Context, CheckContext, the command and backup seams, host services looked up
 * by type) and how types reach the engine (TypeRegistry). Imports nothing else of plumb.
 */
package dev.plumb.api;

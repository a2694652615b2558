/**
 * The contracts at the bottom of plumb: what a resource or check type implements (Resource and its capabilities,
 * Check), what it gets of the host (Context, CheckContext, the command and backup seams, host services looked up
 * by type), how types describe and register themselves (Attribute, TypeSchema, Types) and reach the engine
 * (TypeRegistry), and the one Diagnostic every stage reports bad input with. Imports nothing else of plumb.
 */
package dev.plumb.api;

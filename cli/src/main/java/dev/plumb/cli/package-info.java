/** The plumb command: validate, plan, apply, check, catalog, facts and schema, with documented exit codes. */
package dev.plumb.cli;

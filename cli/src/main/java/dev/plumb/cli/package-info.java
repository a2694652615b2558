/** The plumb command: validate, plan, apply, check, catalog and facts, with documented exit codes. */
package dev.plumb.cli;

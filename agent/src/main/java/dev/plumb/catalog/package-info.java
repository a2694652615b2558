/**
 * The catalog and the run report: everything one host must be, fully resolved, and how a run on it came out, as
 * plain values that travel as JSON.
 */
package dev.plumb.catalog;

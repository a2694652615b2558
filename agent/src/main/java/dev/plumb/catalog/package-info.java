/** The catalog: everything one host must be, fully resolved, as plain values that travel as JSON. */
package dev.plumb.catalog;

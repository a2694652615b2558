/** The engine: orders a catalog's resources by their dependencies, plans or applies them in parallel, reports. */
package dev.plumb.engine;

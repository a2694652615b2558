/**
 * The resource types, one per file: a record of the desired state that reads the current state, compares,
 * describes the difference and changes it. {@link dev.plumb.resources.ResourceTypes} is the registry.
 */
package dev.plumb.resources;

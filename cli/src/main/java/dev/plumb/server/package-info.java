/**
 * {@code plumb server}: follows the project in git, compiles each host's catalog from the facts it sends, serves it
 * over HTTPS to enrolled agents and keeps every run they report in one store.
 */
package dev.plumb.server;

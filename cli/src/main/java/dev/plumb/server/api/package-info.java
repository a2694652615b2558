/** The server's HTTPS API, {@code /api/v1}: who may call what, bounded bodies, JSON in and out. */
package dev.plumb.server.api;

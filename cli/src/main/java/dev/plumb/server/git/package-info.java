/** The server's copy of the project's git repository: fetched from the user's, each commit exported whole. */
package dev.plumb.server.git;

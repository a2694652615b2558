/** The server's TLS: its own CA, made at first start, and the certificate it serves, or the ones a user gives. */
package dev.plumb.server.tls;

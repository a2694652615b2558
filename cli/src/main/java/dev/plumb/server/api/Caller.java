package dev.plumb.server.api;

/** Who sent a request, by its credential: the admin, or one enrolled host. */
record Caller(String host) {

    static final Caller ADMIN = new Caller(null);

    boolean isAdmin() {
        return host == null;
    }

    /** Whether this caller may act as {@code name}: that host itself, or with {@code adminToo}, the admin. */
    boolean mayActAs(String name, boolean adminToo) {
        return isAdmin() ? adminToo : host.equals(name);
    }
}

package dev.plumb.api;

/** Content that a run replaced or removed, kept under its SHA-256 in the backup directory. */
public record Backup(String path, String sha256) {
}

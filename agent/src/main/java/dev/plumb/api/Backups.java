package dev.plumb.api;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;

/** Where resources keep the content they replace or remove, so that a run can be undone by hand. */
public interface Backups {

    /** Saves the current content of {@code file}, read without following a symlink, before it is replaced or removed. */
    Backup save(Path file) throws IOException;

    /** Saves the content of the regular file {@code name} in the open directory {@code parent}, which holds {@code file}. */
    Backup save(Path file, SecureDirectoryStream<Path> parent, Path name) throws IOException;

    /** Saves {@code content}, read from {@code file} by the caller. */
    Backup save(Path file, byte[] content) throws IOException;
}

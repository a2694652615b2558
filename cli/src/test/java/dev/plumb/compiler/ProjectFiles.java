package dev.plumb.compiler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a small project into a test's temporary directory. */
public final class ProjectFiles {

    private final Path directory;

    public ProjectFiles(Path directory) {
        this.directory = directory;
        write("plumb.yaml", "name: test\nenvironments: [dev, prod]\n");
        write("inventory.yaml", "groups:\n  all: { roles: [main] }\nhosts:\n  local: { connection: local, groups: [all], env: dev }\n");
    }

    public ProjectFiles write(String relative, String content) {
        try {
            Path file = directory.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes roles/main.yaml. */
    public ProjectFiles role(String content) {
        return write("roles/main.yaml", content);
    }

    public Path directory() {
        return directory;
    }
}

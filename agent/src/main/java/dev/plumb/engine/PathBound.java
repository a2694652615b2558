package dev.plumb.engine;

import java.nio.file.Path;

/** A resource that lives at a path: it needs the managed directory above it, and may conflict with others. */
public interface PathBound {

    /** The path as the catalog gives it; a record's {@code path} component provides it. */
    String path();

    default Path location() {
        return Path.of(path());
    }

    /** Whether this resource decides what the path is (file, directory, symlink); false for one that edits it. */
    boolean ownsPath();

    /** Whether this resource decides the whole content at its path, so that nothing else may edit it. */
    default boolean ownsContent() {
        return ownsPath();
    }
}

package dev.plumb.api;

import java.nio.file.Path;

/** A resource that lives at a path: it needs the managed directory above it, and may conflict with others. */
public interface PathBound {

    /** The path as the catalog gives it; a record's {@code path} component provides it. */
    String path();

    default Path location() {
        return Path.of(path());
    }

    /** Whether this resource makes its path a directory, so that a plan may count on it for what lives inside. */
    default boolean createsDirectory() {
        return false;
    }

    /** Whether this resource decides what the path is (file, directory, symlink); false for one that edits it. */
    boolean ownsPath();

    /** Whether this resource decides the whole content at its path, so that nothing else may edit it. */
    default boolean ownsContent() {
        return ownsPath();
    }
}

package dev.plumb.engine;

import dev.plumb.system.BackupStore;
import dev.plumb.system.CommandRunner;
import java.nio.file.Path;
import java.util.Set;

/**
 * What resources may use of the host: the command runner, the backup store, and the set of paths the
 * catalog manages (so a purge knows what to keep).
 */
public record Context(CommandRunner commands, BackupStore backups, Set<Path> managedPaths) {

    public Context {
        managedPaths = Set.copyOf(managedPaths);
    }

    /** Whether {@code path} is managed by the catalog, or holds something that is. */
    public boolean isManagedOrHoldsManaged(Path path) {
        if (managedPaths.contains(path)) {
            return true;
        }
        for (Path managed : managedPaths) {
            if (managed.startsWith(path)) {
                return true;
            }
        }
        return false;
    }

    public Context withManagedPaths(Set<Path> paths) {
        return new Context(commands, backups, paths);
    }
}

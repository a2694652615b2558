package dev.plumb.engine;

import dev.plumb.providers.Providers;
import dev.plumb.system.BackupStore;
import dev.plumb.system.CommandRunner;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * What resources may use of the host: the command runner, the backup store, the providers chosen for this host,
 * and the paths the catalog manages (so a purge knows what to keep).
 *
 * @param managedPaths the paths resources own or edit; the directories above them are added, so that a purge
 *                     can ask about any entry with one lookup
 */
public record Context(CommandRunner commands, BackupStore backups, Providers providers, Set<Path> managedPaths) {

    public Context {
        Set<Path> withAncestors = new HashSet<>();
        for (Path path : managedPaths) {
            for (Path p = path; p != null && withAncestors.add(p); p = p.getParent()) {
                // Stops at the first ancestor already added: its own ancestors are there too.
            }
        }
        managedPaths = Set.copyOf(withAncestors);
    }

    /** Whether {@code path} is managed by the catalog, or holds something that is. */
    public boolean isManagedOrHoldsManaged(Path path) {
        return managedPaths.contains(path);
    }

    public Context withManagedPaths(Set<Path> paths) {
        return new Context(commands, backups, providers, paths);
    }
}

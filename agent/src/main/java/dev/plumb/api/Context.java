package dev.plumb.api;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * What resources may use of the host: the command runner, the backups, the host services (such as the providers
 * chosen for this host) and the paths the catalog manages (so a purge knows what to keep).
 *
 * @param managedPaths       the paths resources own or edit; the directories above them are added, so that a purge
 *                           can ask about any entry with one lookup
 * @param managedDirectories the paths that directory resources create, so that a plan can tell a parent directory
 *                           that will exist from one that never will
 */
public record Context(CommandRunner commands, Backups backups, Services services, Set<Path> managedPaths,
                      Set<Path> managedDirectories) {

    public Context(CommandRunner commands, Backups backups, Services services, Set<Path> managedPaths) {
        this(commands, backups, services, managedPaths, Set.of());
    }

    public Context {
        Set<Path> withAncestors = new HashSet<>();
        for (Path path : managedPaths) {
            for (Path p = path; p != null && withAncestors.add(p); p = p.getParent()) {
                // Stops at the first ancestor already added: its own ancestors are there too.
            }
        }
        managedPaths = Set.copyOf(withAncestors);
        managedDirectories = Set.copyOf(managedDirectories);
    }

    /** The host service of {@code type}, such as the providers. */
    public <T> T service(Class<T> type) {
        return services.get(type);
    }

    /** Whether {@code path} is managed by the catalog, or holds something that is. */
    public boolean isManagedOrHoldsManaged(Path path) {
        return managedPaths.contains(path);
    }

    /** Whether a directory resource of the catalog creates {@code path}, before anything inside it runs. */
    public boolean isManagedDirectory(Path path) {
        return managedDirectories.contains(path);
    }

    public Context withManagedPaths(Set<Path> paths, Set<Path> directories) {
        return new Context(commands, backups, services, paths, directories);
    }
}

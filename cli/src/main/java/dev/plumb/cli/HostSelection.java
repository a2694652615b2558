package dev.plumb.cli;

import dev.plumb.compiler.Project;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/** Which hosts a command runs on: {@code --hosts} names hosts or groups, with globs, separated by commas. */
final class HostSelection {

    private HostSelection() {
    }

    /** The matching hosts in inventory order; all of them without a pattern. */
    static List<Project.Host> select(Project project, String patterns) throws UsageException {
        if (patterns == null || patterns.isBlank()) {
            return List.copyOf(project.hosts().values());
        }
        List<String> names = List.of(patterns.split(",")).stream().map(String::strip).toList();
        List<PathMatcher> globs = new ArrayList<>();
        for (String name : names) {
            globs.add(glob(name));
        }
        boolean[] used = new boolean[globs.size()];
        List<Project.Host> selected = new ArrayList<>();
        for (Project.Host host : project.hosts().values()) {
            for (int i = 0; i < globs.size(); i++) {
                PathMatcher glob = globs.get(i);
                if (glob.matches(Path.of(host.name())) || host.groups().stream().anyMatch(g -> glob.matches(Path.of(g)))) {
                    used[i] = true;
                    if (!selected.contains(host)) {
                        selected.add(host);
                    }
                }
            }
        }
        for (int i = 0; i < used.length; i++) {
            if (!used[i]) {
                throw new UsageException("--hosts: '" + names.get(i) + "' matches no host or group; hosts: "
                        + String.join(", ", project.hosts().keySet()) + "; groups: " + String.join(", ", project.groups().keySet()));
            }
        }
        return selected;
    }

    private static PathMatcher glob(String pattern) throws UsageException {
        try {
            return FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        } catch (PatternSyntaxException e) {
            throw new UsageException("--hosts: '" + pattern + "' is not a valid pattern: " + e.getDescription()
                    + "; use host or group names with * and ? (and [abc] for one of a, b, c)");
        }
    }
}

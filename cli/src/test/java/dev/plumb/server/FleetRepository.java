package dev.plumb.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;

/**
 * A git repository made in a test, holding a project of two hosts, web1 and web2, each converging its own
 * directory: {@code ROOT/motd} says the role's {@code motd}. Each change is a new commit on main.
 */
public final class FleetRepository implements AutoCloseable {

    private final Path directory;
    private final Git git;

    private FleetRepository(Path directory, Git git) {
        this.directory = directory;
        this.git = git;
    }

    /** The repository in {@code directory}, its first commit the project with web1 and web2 at their roots. */
    public static FleetRepository create(Path directory, Path web1Root, Path web2Root) throws IOException, GitAPIException {
        FleetRepository repository = new FleetRepository(directory,
                Git.init().setDirectory(directory.toFile()).setInitialBranch("main").call());
        repository.write("plumb.yaml", "name: fleet\nenvironments: [prod]\n");
        repository.write("inventory.yaml", "groups:\n  web: { roles: [site] }\nhosts:\n"
                + "  web1: { connection: local, groups: [web], env: prod, vars: { root: \"" + web1Root + "\" } }\n"
                + "  web2: { connection: local, groups: [web], env: prod, vars: { root: \"" + web2Root + "\" } }\n");
        repository.commitMotd("first");
        return repository;
    }

    /** Commits a role whose file says {@code motd}; returns the commit. */
    public String commitMotd(String motd) throws IOException, GitAPIException {
        write("roles/site.yaml", "vars:\n  motd: " + motd + "\nresources:\n  - directory: \"{{ root }}\"\n"
                + "  - file: \"{{ root }}/motd\"\n    content: \"{{ motd }}\\n\"\n    mode: \"0644\"\n");
        return commit("motd " + motd);
    }

    /**
     * Commits a fact of the project's own, a command run on each host, and a role whose file says what it printed
     * there; returns the commit.
     */
    public String commitProjectFact(String command) throws IOException, GitAPIException {
        write("plumb.yaml", "name: fleet\nenvironments: [prod]\nfacts:\n  greeting:\n    command: \"" + command + "\"\n");
        write("roles/site.yaml", "resources:\n  - directory: \"{{ root }}\"\n"
                + "  - file: \"{{ root }}/motd\"\n    content: \"{{ facts.greeting }}\\n\"\n    mode: \"0644\"\n");
        return commit("a fact of the project's own");
    }

    /** Commits a role that does not compile: an unknown attribute at roles/site.yaml:4:5. */
    public String commitBroken() throws IOException, GitAPIException {
        write("roles/site.yaml", "resources:\n  - directory: \"{{ root }}\"\n  - file: \"{{ root }}/motd\"\n"
                + "    colour: blue\n");
        return commit("broken");
    }

    private void write(String relative, String content) {
        try {
            Path file = directory.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String commit(String message) throws GitAPIException {
        git.add().addFilepattern(".").call();
        return git.commit().setMessage(message).setAuthor("test", "test@example.invalid")
                .setCommitter("test", "test@example.invalid").setSign(false).call().name();
    }

    public Path directory() {
        return directory;
    }

    @Override
    public void close() {
        git.close();
    }
}

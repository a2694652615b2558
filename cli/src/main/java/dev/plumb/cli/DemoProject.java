package dev.plumb.cli;

import dev.plumb.catalog.Json;
import dev.plumb.cli.DemoCommand.DemoException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.RepositoryNotFoundException;

/**
 * The project {@code plumb demo} serves: examples/quickstart, which the build puts in plumb.jar, committed to a git
 * repository as a team keeps its project.
 */
final class DemoProject {

    /** Where the build puts examples/quickstart among plumb.jar's resources. */
    private static final String RESOURCE = "/dev/plumb/cli/quickstart";
    /** Where the quickstart puts its files: its base role's {@code root}. */
    static final String DEFAULT_ROOT = "/tmp/plumb-quickstart";
    private static final String BASE_ROLE = "roles/base.yaml";
    private static final String ROOT_VAR = "  root: " + DEFAULT_ROOT + "\n";

    private DemoProject() {
    }

    /**
     * Writes the quickstart project, its files under {@code root}, into the git repository at {@code directory} (made
     * when missing) and commits it on main, unless it is there already; returns the commit.
     */
    static String commit(Path directory, Path root) throws DemoException {
        try (Git git = openOrInit(directory)) {
            copyProject(directory);
            moveRoot(directory.resolve(BASE_ROLE), root);
            git.add().addFilepattern(".").call();
            if (git.getRepository().resolve("HEAD") != null && git.status().call().isClean()) {
                return git.getRepository().resolve("HEAD").name();
            }
            return git.commit().setMessage("The quickstart project").setAuthor("plumb demo", "demo@plumb.invalid")
                    .setCommitter("plumb demo", "demo@plumb.invalid").setSign(false).call().name();
        } catch (IOException | GitAPIException e) {
            throw new DemoException("cannot commit the quickstart project to " + directory + ": " + e.getMessage());
        }
    }

    private static Git openOrInit(Path directory) throws IOException, GitAPIException {
        try {
            return Git.open(directory.toFile());
        } catch (RepositoryNotFoundException e) {
            return Git.init().setDirectory(directory.toFile()).setInitialBranch("main").call();
        }
    }

    /** Sets the base role's {@code root} to {@code root}, as a user moving the quickstart would. */
    private static void moveRoot(Path baseRole, Path root) throws IOException {
        String role = Files.readString(baseRole);
        if (!role.contains(ROOT_VAR)) {
            throw new IllegalStateException(BASE_ROLE + " of the quickstart no longer sets " + ROOT_VAR.strip()
                    + "; plumb demo must follow it (this is a bug in plumb)");
        }
        Files.writeString(baseRole, role.replace(ROOT_VAR, "  root: " + Json.MAPPER.writeValueAsString(root.toString()) + "\n"));
    }

    /** Copies every file of the embedded project into {@code directory}, over what is there. */
    private static void copyProject(Path directory) throws IOException {
        URL url = DemoProject.class.getResource(RESOURCE);
        if (url == null) {
            throw new IOException("this build of plumb carries no quickstart project (" + RESOURCE + ")");
        }
        URI uri;
        try {
            uri = url.toURI();
        } catch (URISyntaxException e) {
            throw new IOException("cannot read the embedded quickstart project at " + url, e);
        }
        // In plumb.jar the project is read through the jar's own file system; from a build's class directory, as is.
        try (FileSystem jar = uri.getScheme().equals("jar") ? FileSystems.newFileSystem(uri, Map.of()) : null) {
            Path source = jar != null ? jar.provider().getPath(uri) : Path.of(uri);
            List<Path> files;
            try (Stream<Path> walk = Files.walk(source)) {
                files = walk.filter(Files::isRegularFile).toList();
            }
            for (Path file : files) {
                Path target = directory.resolve(source.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.write(target, Files.readAllBytes(file));
            }
        }
    }
}

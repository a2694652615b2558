package dev.plumb.cli;

import dev.plumb.catalog.Json;
import dev.plumb.system.AtomicFiles;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.lib.ObjectId;

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
     * Makes the git repository at {@code directory} (made when missing) hold the quickstart project, its files under
     * {@code root}, as the last commit on main, committing only when it does not already; returns that commit.
     */
    static String commit(Path directory, Path root) throws IOException {
        try (Git git = openOrInit(directory)) {
            clearWorkingTree(directory);
            copyProject(directory);
            moveRoot(directory.resolve(BASE_ROLE), root);
            git.add().addFilepattern(".").call();
            git.add().addFilepattern(".").setUpdate(true).call();
            ObjectId head = git.getRepository().resolve("HEAD");
            if (head != null && git.status().call().isClean()) {
                return head.name();
            }
            return git.commit().setMessage("The quickstart project").setAuthor("plumb demo", "demo@plumb.invalid")
                    .setCommitter("plumb demo", "demo@plumb.invalid").setSign(false).call().name();
        } catch (GitAPIException e) {
            throw new IOException("cannot commit the quickstart project to " + directory + ": " + e.getMessage(), e);
        }
    }

    private static Git openOrInit(Path directory) throws IOException, GitAPIException {
        try {
            return Git.open(directory.toFile());
        } catch (RepositoryNotFoundException e) {
            return Git.init().setDirectory(directory.toFile()).setInitialBranch("main").call();
        }
    }

    /** Removes everything but the repository itself, so that a file the quickstart no longer has leaves it too. */
    private static void clearWorkingTree(Path directory) throws IOException {
        List<Path> entries;
        try (Stream<Path> listed = Files.list(directory)) {
            entries = listed.filter(entry -> !entry.getFileName().toString().equals(".git")).toList();
        }
        for (Path entry : entries) {
            if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                AtomicFiles.removeTree(entry);
            } else {
                Files.delete(entry);
            }
        }
    }

    /** Copies every file of the embedded project into {@code directory}. */
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
        // In plumb.jar the project is read through the jar's file system, opened here unless something else in this
        // JVM has it open already; from a build's class directory, as it is.
        FileSystem opened = null;
        if (uri.getScheme().equals("jar")) {
            try {
                opened = FileSystems.newFileSystem(uri, Map.of());
            } catch (FileSystemAlreadyExistsException alreadyOpen) {
                // Path.of below finds it.
            }
        }
        try {
            Path source = Path.of(uri);
            List<Path> files;
            try (Stream<Path> walk = Files.walk(source)) {
                files = walk.filter(Files::isRegularFile).toList();
            }
            for (Path file : files) {
                Path target = directory.resolve(source.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.write(target, Files.readAllBytes(file));
            }
        } finally {
            if (opened != null) {
                opened.close();
            }
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
}

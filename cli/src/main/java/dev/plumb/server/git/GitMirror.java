package dev.plumb.server.git;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * A bare repository under the server's state that follows one branch of the user's repository (a URL or a path):
 * {@link #fetch} brings the branch's newest commit, {@link #export} writes one commit's files to a directory of its
 * own, so that a commit being validated never changes the files of the one being served.
 */
public final class GitMirror implements AutoCloseable {

    private final Git git;
    private final String remote;
    private final String branch;

    private GitMirror(Git git, String remote, String branch) {
        this.git = git;
        this.remote = remote;
        this.branch = branch;
    }

    /** The mirror in {@code directory}, made empty when missing, of {@code branch} of {@code remote}. */
    public static GitMirror open(Path directory, String remote, String branch) throws IOException {
        try {
            Git git = Files.isDirectory(directory.resolve("objects")) ? Git.open(directory.toFile())
                    : Git.init().setBare(true).setDirectory(directory.toFile()).call();
            return new GitMirror(git, remote, branch);
        } catch (GitAPIException e) {
            throw new IOException("cannot make a git repository in " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Fetches the branch and returns its newest commit. Fetched objects are checked as git's fsck would, so that a
     * tree naming {@code ..} or {@code .git} never reaches {@link #export}.
     */
    public String fetch() throws IOException {
        String tracking = "refs/remotes/origin/" + branch;
        try {
            git.fetch().setRemote(remote).setCheckFetchedObjects(true)
                    .setRefSpecs(new RefSpec("+refs/heads/" + branch + ":" + tracking)).call();
        } catch (GitAPIException | org.eclipse.jgit.api.errors.JGitInternalException e) {
            throw new IOException("cannot fetch branch " + branch + " of " + remote + ": " + e.getMessage(), e);
        }
        ObjectId head = git.getRepository().resolve(tracking);
        if (head == null) {
            throw new IOException("branch " + branch + " of " + remote + " has no commit; push one, or name another "
                    + "branch with --branch");
        }
        return head.name();
    }

    /** Writes the files of {@code commit} into {@code target}, which must not exist yet; replaces nothing. */
    public void export(String commit, Path target) throws IOException {
        Repository repository = git.getRepository();
        Files.createDirectories(target);
        try (RevWalk commits = new RevWalk(repository); TreeWalk files = new TreeWalk(repository)) {
            RevCommit revision = commits.parseCommit(ObjectId.fromString(commit));
            files.addTree(revision.getTree());
            files.setRecursive(true);
            while (files.next()) {
                FileMode mode = files.getFileMode(0);
                Path file = target.resolve(files.getPathString());
                if (mode == FileMode.GITLINK) {
                    continue; // a submodule's files are not in this repository
                }
                Files.createDirectories(file.getParent());
                ObjectLoader content = repository.open(files.getObjectId(0));
                if (mode == FileMode.SYMLINK) {
                    Files.createSymbolicLink(file, Path.of(new String(content.getBytes(), StandardCharsets.UTF_8)));
                } else {
                    try (OutputStream out = Files.newOutputStream(file)) {
                        content.copyTo(out);
                    }
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(
                            mode == FileMode.EXECUTABLE_FILE ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        }
    }

    /** Removes an exported commit's directory. */
    public static void remove(Path exported) throws IOException {
        if (!Files.exists(exported)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(exported)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Override
    public void close() {
        git.close();
    }
}

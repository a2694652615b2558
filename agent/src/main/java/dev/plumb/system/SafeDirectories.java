package dev.plumb.system;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens a directory as a handle (openat with O_NOFOLLOW, through Java's {@link SecureDirectoryStream}) walking from
 * {@code /} one component at a time, so that every later read, write, rename or unlink relative to the handle acts in
 * the directory that was checked, whatever is renamed or swapped for a link meanwhile.
 *
 * <p>A symlink on the way is followed only under systemd's {@code CHASE_SAFE} rule: the link and every directory
 * above it are owned by root (or the running user) and writable by no one else, and so is every directory its target
 * names. Merged-/usr links such as {@code /lib -> usr/lib} pass; a link a user could have planted or replaced, such as
 * {@code /home/alice/.ssh -> /root/.ssh}, is refused with an {@link UntrustedLinkException}.
 */
public final class SafeDirectories {

    /** As the kernel's ELOOP limit: more links than this on one path is a loop. */
    private static final int MAX_LINKS = 40;
    /** Java's Unix file key prints as {@code (dev=803,ino=1234)}, the device in hex; it offers no other accessor. */
    private static final Pattern DEVICE = Pattern.compile("dev=([0-9a-f]+)");
    private static final Set<String> TRUSTED_OWNERS = Set.copyOf(List.of("root", System.getProperty("user.name")));
    private static final Path ROOT = Path.of("/");

    private SafeDirectories() {
    }

    /** A symlink on the way to a directory that someone other than root could have planted or replaced. */
    public static final class UntrustedLinkException extends FileSystemException {
        UntrustedLinkException(Path link, String why) {
            super(link.toString(), null, "is a symlink (to '" + targetOf(link) + "') " + why + "; plumb follows only "
                    + "links that root owns in directories only root can write: write the path without the link");
        }

        @Override
        public String getMessage() {
            return getFile() + " " + getReason();
        }

        /** The link's target, for the message only: reading it by path may race, which a message can afford. */
        private static String targetOf(Path link) {
            try {
                return Files.readSymbolicLink(link).toString();
            } catch (IOException e) {
                return "?";
            }
        }
    }

    /** One component still to walk; {@code ofLinkTarget} when it comes from a followed link's target. */
    private record Step(String name, boolean ofLinkTarget) {
    }

    /**
     * Opens {@code directory} (absolute) without following an untrusted link. The caller closes the handle.
     *
     * @throws UntrustedLinkException when the way holds a link that fails the rule above
     * @throws NoSuchFileException    naming the first component that is missing
     * @throws NotDirectoryException  naming the first component that is neither a directory nor a link
     */
    public static SecureDirectoryStream<Path> open(Path directory) throws IOException {
        Deque<SecureDirectoryStream<Path>> handles = new ArrayDeque<>();
        Deque<Step> steps = new ArrayDeque<>();
        directory.toAbsolutePath().forEach(name -> steps.addLast(new Step(name.toString(), false)));
        Path walked = ROOT;
        boolean trustedSoFar = true;
        Path followed = null;
        int links = 0;
        try {
            handles.push(openRoot());
            while (!steps.isEmpty()) {
                Step step = steps.pollFirst();
                if (step.name().isEmpty() || step.name().equals(".")) {
                    continue;
                }
                if (step.name().equals("..")) {
                    if (handles.size() > 1) {
                        handles.pop().close();
                        walked = walked.getParent();
                    }
                    continue;
                }
                Path name = Path.of(step.name());
                Path here = walked.resolve(name);
                PosixFileAttributes entry = handles.peek().getFileAttributeView(name, PosixFileAttributeView.class,
                        LinkOption.NOFOLLOW_LINKS).readAttributes();
                if (entry.isSymbolicLink()) {
                    if (++links > MAX_LINKS) {
                        throw new FileSystemException(directory.toString(), null, "has more than " + MAX_LINKS
                                + " symlinks on its way (a loop?)");
                    }
                    requireTrustedLink(here, entry, trustedSoFar && rootOnly(attributes(handles.peek())));
                    followed = here;
                    // Every directory above is root-only: reading the link by its path reads this very link.
                    Path target = Files.readSymbolicLink(here);
                    if (target.isAbsolute()) {
                        while (handles.size() > 1) {
                            handles.pop().close();
                        }
                        walked = ROOT;
                    }
                    Deque<Step> targetSteps = new ArrayDeque<>();
                    target.forEach(component -> targetSteps.addLast(new Step(component.toString(), true)));
                    targetSteps.descendingIterator().forEachRemaining(steps::addFirst);
                    continue;
                }
                if (!entry.isDirectory()) {
                    throw new NotDirectoryException(here.toString());
                }
                if (step.ofLinkTarget() && !rootOnly(entry)) {
                    throw new UntrustedLinkException(followed, "whose target goes through " + here + ", which "
                            + entry.owner().getName() + " owns or others can write");
                }
                trustedSoFar &= rootOnly(entry);
                handles.push(handles.peek().newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS));
                walked = here;
            }
            return handles.pop();
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(walked.resolve(e.getFile() == null ? "" : e.getFile()).toString());
        } finally {
            for (SecureDirectoryStream<Path> handle : handles) {
                handle.close();
            }
        }
    }

    /** The attributes of the directory a handle has open. */
    public static PosixFileAttributes attributes(SecureDirectoryStream<Path> directory) throws IOException {
        return directory.getFileAttributeView(PosixFileAttributeView.class).readAttributes();
    }

    /** The device (filesystem) a file is on, from attributes read through a handle or by path. */
    public static String device(BasicFileAttributes attributes) {
        Matcher matcher = DEVICE.matcher(String.valueOf(attributes.fileKey()));
        if (!matcher.find()) {
            throw new IllegalStateException("unexpected file key " + attributes.fileKey() + "; this is a bug in plumb");
        }
        return matcher.group(1);
    }

    /** The attributes of the entry {@code name} of an open directory, not following a link. */
    public static PosixFileAttributes entry(SecureDirectoryStream<Path> directory, Path name) throws IOException {
        return directory.getFileAttributeView(name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .readAttributes();
    }

    /** Whether {@code attributes} belong to a file that only root (or the running user) owns and can change. */
    static boolean rootOnly(PosixFileAttributes attributes) {
        Set<PosixFilePermission> permissions = attributes.permissions();
        return TRUSTED_OWNERS.contains(attributes.owner().getName())
                && (attributes.isSymbolicLink() || !permissions.contains(PosixFilePermission.GROUP_WRITE)
                        && !permissions.contains(PosixFilePermission.OTHERS_WRITE));
    }

    private static void requireTrustedLink(Path link, PosixFileAttributes attributes, boolean directoriesTrusted)
            throws UntrustedLinkException {
        if (!TRUSTED_OWNERS.contains(attributes.owner().getName())) {
            throw new UntrustedLinkException(link, "owned by " + attributes.owner().getName());
        }
        if (!directoriesTrusted) {
            throw new UntrustedLinkException(link, "in a directory that a user other than root owns or can write, or below one");
        }
    }

    private static SecureDirectoryStream<Path> openRoot() throws IOException {
        DirectoryStream<Path> stream = Files.newDirectoryStream(ROOT);
        if (stream instanceof SecureDirectoryStream<Path> secure) {
            return secure;
        }
        stream.close();
        throw new IOException("this platform cannot open directories without following links; plumb changes no file "
                + "it cannot reach that way");
    }

    /**
     * An error of an operation relative to an open directory, which names only the entry, naming the whole
     * {@code path} instead.
     */
    public static FileSystemException naming(FileSystemException e, Path path) {
        if (e.getFile() == null || e.getFile().startsWith("/")) {
            return e;
        }
        return e instanceof NoSuchFileException ? new NoSuchFileException(path.toString())
                : new FileSystemException(path.toString(), null, e.getReason());
    }

    /** The file key (device and inode) of the directory a handle has open, for comparing with an earlier lstat. */
    public static Object fileKey(SecureDirectoryStream<Path> directory) throws IOException {
        return directory.getFileAttributeView(BasicFileAttributeView.class).readAttributes().fileKey();
    }
}

package dev.plumb.system;

import dev.plumb.api.Action;
import dev.plumb.api.Change;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The mode, owner and group plumb manages on files, directories and symlinks. A {@code null} desired
 * value means "not managed": it is neither compared nor changed.
 */
public record FileAttributes(String mode, String owner, String group) {

    private static final PosixFilePermission[] BITS = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
    };

    /** Whether a mode string is one plumb can set: three or four octal digits, no special bits. */
    public static boolean isValidMode(String mode) {
        return mode.matches("0?[0-7]{3}");
    }

    /** The attributes of a path without following a symlink, or null when nothing is there: one system call. */
    public static PosixFileAttributes readOrNull(Path path) throws IOException {
        try {
            return Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The managed attributes among attributes already read. */
    public static FileAttributes of(PosixFileAttributes attributes) {
        return new FileAttributes(mode(attributes.permissions()), attributes.owner().getName(),
                attributes.group().getName());
    }

    /**
     * What differs between attributes already read and these desired ones, as "mode changed '0600' to '0644'".
     * Owner and group names are looked up only when managed: that lookup costs more than the rest.
     */
    public List<Change.Entry> differencesFrom(PosixFileAttributes current) {
        List<Change.Entry> differences = new ArrayList<>(3);
        String currentMode = mode(current.permissions());
        if (mode != null && !normalized(mode).equals(currentMode)) {
            differences.add(new Change.Entry(Action.CHANGE, "mode", currentMode, normalized(mode), null));
        }
        if (owner != null && !owner.equals(current.owner().getName())) {
            differences.add(new Change.Entry(Action.CHANGE, "owner", current.owner().getName(), owner, null));
        }
        if (group != null && !group.equals(current.group().getName())) {
            differences.add(new Change.Entry(Action.CHANGE, "group", current.group().getName(), group, null));
        }
        return differences;
    }

    /** Describes these attributes for a path about to be created, as "mode 0644, owner www-data". */
    public String describe() {
        List<String> parts = new ArrayList<>(3);
        if (mode != null) {
            parts.add("mode " + normalized(mode));
        }
        if (owner != null) {
            parts.add("owner " + owner);
        }
        if (group != null) {
            parts.add("group " + group);
        }
        return String.join(", ", parts);
    }

    /**
     * Sets the managed attributes on the entry {@code name} of an open directory, never through a symlink (lchown, and
     * fchmod on a no-follow open); ownership first, since chown can clear set-id bits.
     */
    public void applyTo(SecureDirectoryStream<Path> directory, Path name) throws IOException {
        PosixFileAttributeView view = directory.getFileAttributeView(name, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        UserPrincipalLookupService lookup = FileSystems.getDefault().getUserPrincipalLookupService();
        if (owner != null) {
            try {
                view.setOwner(lookup.lookupPrincipalByName(owner));
            } catch (UserPrincipalNotFoundException e) {
                throw new IOException("owner '" + owner + "' does not exist on this host");
            }
        }
        if (group != null) {
            try {
                GroupPrincipal principal = lookup.lookupPrincipalByGroupName(group);
                view.setGroup(principal);
            } catch (UserPrincipalNotFoundException e) {
                throw new IOException("group '" + group + "' does not exist on this host");
            }
        }
        if (mode != null && !view.readAttributes().isSymbolicLink()) {
            view.setPermissions(permissions(mode));
        }
    }

    /** Keeps the desired values and fills the unmanaged ones from {@code current}. */
    public FileAttributes orElse(FileAttributes current) {
        return new FileAttributes(mode != null ? mode : current.mode, owner != null ? owner : current.owner,
                group != null ? group : current.group);
    }

    public static Set<PosixFilePermission> permissions(String mode) {
        int bits = Integer.parseInt(mode, 8);
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < BITS.length; i++) {
            if ((bits & (1 << i)) != 0) {
                permissions.add(BITS[i]);
            }
        }
        return permissions;
    }

    /** Permissions as an octal mode, as {@code 0644}. */
    public static String mode(Set<PosixFilePermission> permissions) {
        int bits = 0;
        for (int i = 0; i < BITS.length; i++) {
            if (permissions.contains(BITS[i])) {
                bits |= 1 << i;
            }
        }
        return String.format("0%03o", bits);
    }

    private static String normalized(String mode) {
        return mode.length() == 3 ? "0" + mode : mode;
    }
}

package dev.plumb.transport.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.digest.BuiltinDigests;

/**
 * The host keys this controller trusts, as OpenSSH reads them: the user's {@code known_hosts} (hashed entries and
 * {@code [host]:port} entries included), then the project's own. New keys are recorded in the user's file.
 */
final class KnownHosts {

    private final Path userFile;
    private final Path projectFile;

    KnownHosts(Path userFile, Path projectFile) {
        this.userFile = userFile;
        this.projectFile = projectFile;
    }

    /** A key that a known_hosts file holds for a host, and where: {@code file:line}. */
    record KnownKey(PublicKey key, String where) {
    }

    /** The keys known for {@code host} at {@code port}; empty when the host is not known at all. */
    List<KnownKey> keysOf(String host, int port) throws IOException {
        List<KnownKey> keys = new ArrayList<>();
        for (Path file : projectFile == null ? List.of(userFile) : List.of(userFile, projectFile)) {
            if (!Files.isRegularFile(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                PublicKey key = keyOfLine(lines.get(i), host, port);
                if (key != null) {
                    keys.add(new KnownKey(key, SshText.shortPath(file) + ":" + (i + 1)));
                }
            }
        }
        return keys;
    }

    /**
     * The key of a known_hosts line that names {@code host}; null for comments, other hosts, markers
     * ({@code @cert-authority}, {@code @revoked}: plumb trusts plain keys only) and key types it cannot read.
     */
    private static PublicKey keyOfLine(String line, String host, int port) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
            return null;
        }
        try {
            KnownHostEntry entry = KnownHostEntry.parseKnownHostEntry(trimmed);
            if (entry == null || entry.getMarker() != null || !entry.isHostMatch(host, port)) {
                return null;
            }
            return entry.getKeyEntry().resolvePublicKey(null, PublicKeyEntryResolver.IGNORING);
        } catch (IOException | GeneralSecurityException | RuntimeException unreadable) {
            // OpenSSH skips a line it cannot read, and so does plumb.
            return null;
        }
    }

    /** Records {@code key} for {@code host} at {@code port} in the user's file, as OpenSSH's accept-new does. */
    synchronized void record(String host, int port, PublicKey key) throws IOException {
        Path directory = userFile.getParent();
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        if (!Files.exists(userFile)) {
            Files.createFile(userFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        String name = port == 22 ? host : "[" + host + "]:" + port;
        Files.writeString(userFile, name + " " + PublicKeyEntry.toString(key) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
    }

    Path userFile() {
        return userFile;
    }

    /** How OpenSSH shows a key: {@code ssh-ed25519 SHA256:...}. */
    static String describe(PublicKey key) {
        return KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
    }
}

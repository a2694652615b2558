package dev.plumb.transport.ssh;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
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

    /** One lock for every check that may record a key, in this process; a file lock keeps other processes out. */
    private static final Object RECORDING = new Object();
    /**
     * A key field of the right form (a type name and no key), in place of one plumb cannot read, so that MINA matches
     * the line's hosts all the same; it reads as no key.
     */
    private static final String PLACEHOLDER_KEY = " ssh-ed25519 AAAAC3NzaC1lZDI1NTE5";

    private final Path userFile;
    private final Path projectFile;

    KnownHosts(Path userFile, Path projectFile) {
        this.userFile = userFile;
        this.projectFile = projectFile;
    }

    /** A key that a known_hosts file holds for a host, and where: {@code file:line}. */
    record KnownKey(PublicKey key, String where) {
    }

    /**
     * What the known_hosts files say of a host.
     *
     * @param keys       its keys
     * @param revoked    keys marked {@code @revoked} for it
     * @param unreadable where a line names the host but holds a key plumb cannot read ({@code file:line})
     */
    record Entries(List<KnownKey> keys, List<KnownKey> revoked, List<String> unreadable) {

        /** Whether no line names the host: only then is its key new. */
        boolean unknown() {
            return keys.isEmpty() && unreadable.isEmpty();
        }
    }

    /** What the files say of {@code host} at {@code port}. */
    Entries entriesOf(String host, int port) throws IOException {
        List<KnownKey> keys = new ArrayList<>();
        List<KnownKey> revoked = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (Path file : projectFile == null ? List.of(userFile) : List.of(userFile, projectFile)) {
            if (!Files.isRegularFile(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String where = SshText.shortPath(file) + ":" + (i + 1);
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                KnownHostEntry entry = parse(line);
                if (entry == null || !entry.isHostMatch(host, port)) {
                    continue;
                }
                if ("cert-authority".equals(entry.getMarker())) {
                    continue; // plumb trusts plain keys only
                }
                PublicKey key = keyOf(entry);
                if (key == null) {
                    // OpenSSH skips a line it cannot read; plumb refuses the host rather than take it as new.
                    unreadable.add(where);
                } else if ("revoked".equals(entry.getMarker())) {
                    revoked.add(new KnownKey(key, where));
                } else {
                    keys.add(new KnownKey(key, where));
                }
            }
        }
        return new Entries(keys, revoked, unreadable);
    }

    /**
     * The line's entry; when its key cannot be read, an entry of its marker and hosts alone (its key is then
     * unreadable), so that a line about the host is never taken for no line at all. Null when not even its hosts are.
     */
    private static KnownHostEntry parse(String line) {
        try {
            return KnownHostEntry.parseKnownHostEntry(line);
        } catch (RuntimeException unreadableKey) {
            String[] fields = line.split("\\s+");
            String hosts = fields[0].startsWith("@") && fields.length > 1 ? fields[0] + " " + fields[1] : fields[0];
            try {
                return KnownHostEntry.parseKnownHostEntry(hosts + PLACEHOLDER_KEY);
            } catch (RuntimeException unreadableHosts) {
                return null;
            }
        }
    }

    /** The entry's key; null when plumb cannot read it (a type it does not know, a damaged key). */
    private static PublicKey keyOf(KnownHostEntry entry) {
        try {
            return entry.getKeyEntry().resolvePublicKey(null, PublicKeyEntryResolver.IGNORING);
        } catch (IOException | GeneralSecurityException | RuntimeException unreadable) {
            return null;
        }
    }

    /**
     * Runs {@code step}, a check of the files that may record a key, holding a lock on the user's file against other
     * threads and other plumb processes: the check and the record are one step, and no key is recorded twice.
     */
    <T> T recording(Step<T> step) throws IOException {
        synchronized (RECORDING) {
            createPrivately();
            try (FileChannel channel = FileChannel.open(userFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
                 FileLock lock = channel.lock()) {
                return step.run(new Recorder(channel));
            }
        }
    }

    /** A check of the known_hosts files, given what records a key while the files are locked. */
    interface Step<T> {
        T run(Recorder recorder) throws IOException;
    }

    /** Records keys in the locked user's file. */
    final class Recorder {

        private final FileChannel channel;

        private Recorder(FileChannel channel) {
            this.channel = channel;
        }

        /**
         * Records {@code key} for {@code host} at {@code port}, as OpenSSH's accept-new does, after a newline when the
         * file's last line has none.
         */
        void record(String host, int port, PublicKey key) throws IOException {
            long size = channel.size();
            ByteBuffer last = ByteBuffer.allocate(1);
            boolean needsNewline = size > 0 && channel.read(last, size - 1) == 1 && last.get(0) != '\n';
            String name = port == 22 ? host : "[" + host + "]:" + port;
            String line = (needsNewline ? "\n" : "") + name + " " + PublicKeyEntry.toString(key) + "\n";
            channel.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)), size);
        }
    }

    /** Creates the user's file (and its directory) readable by the user alone, when it is not there. */
    private void createPrivately() throws IOException {
        Path directory = userFile.getParent();
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        if (!Files.exists(userFile)) {
            try {
                Files.createFile(userFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException madeByAnotherProcess) {
                // Then it is there, as it should be.
            }
        }
    }

    Path userFile() {
        return userFile;
    }

    /** How OpenSSH shows a key: {@code ssh-ed25519 SHA256:...}. */
    static String describe(PublicKey key) {
        return KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
    }
}

package dev.plumb.transport.ssh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where OpenSSH's client keeps a user's settings: the {@code ~/.ssh} directory ({@code config}, {@code known_hosts},
 * the default keys) and the running ssh-agent's socket.
 *
 * @param directory   {@code ~/.ssh}
 * @param agentSocket {@code $SSH_AUTH_SOCK}; null when no agent runs
 */
public record OpenSshFiles(Path directory, Path agentSocket) {

    /** The keys OpenSSH tries when none is named, in its order. */
    private static final List<String> DEFAULT_KEYS = List.of("id_ed25519", "id_rsa", "id_ecdsa");

    /** The files of the user running plumb. */
    public static OpenSshFiles ofThisUser() {
        String socket = System.getenv("SSH_AUTH_SOCK");
        return new OpenSshFiles(Path.of(System.getProperty("user.home"), ".ssh"),
                socket == null || socket.isBlank() ? null : Path.of(socket));
    }

    Path config() {
        return directory.resolve("config");
    }

    Path knownHosts() {
        return directory.resolve("known_hosts");
    }

    List<Path> defaultKeys() {
        return DEFAULT_KEYS.stream().map(directory::resolve).toList();
    }

    /** Whether an agent's socket is there to ask for keys. */
    boolean hasAgent() {
        return agentSocket != null && Files.exists(agentSocket);
    }
}

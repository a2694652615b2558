package dev.plumb.server;

import dev.plumb.server.store.Secrets;
import dev.plumb.system.Hashing;
import dev.plumb.system.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * The admin token: made at the server's first start in {@code STATE/server/admin-token} (0600, 32 random bytes,
 * base64url), read by the server and by {@code plumb server enroll} and {@code revoke} on the same machine.
 */
public final class AdminToken {

    public static final String FILE = "admin-token";

    private final byte[] sha256;

    private AdminToken(String token) {
        this.sha256 = digest(token);
    }

    /** The token in {@code serverDirectory}, made when there is none. */
    public static AdminToken loadOrCreate(Path serverDirectory) throws IOException {
        Path file = serverDirectory.resolve(FILE);
        if (!Files.exists(file)) {
            PrivateFiles.directory(serverDirectory);
            PrivateFiles.write(file, Secrets.random().getBytes(StandardCharsets.US_ASCII));
        }
        return new AdminToken(read(file));
    }

    /** The token kept in {@code file}, as a client sends it. */
    public static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.US_ASCII).strip();
    }

    /** Whether {@code presented} is this token, compared in constant time. */
    public boolean matches(String presented) {
        return MessageDigest.isEqual(sha256, digest(presented));
    }

    private static byte[] digest(String text) {
        return Hashing.newDigest().digest(text.getBytes(StandardCharsets.UTF_8));
    }
}

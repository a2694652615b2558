package dev.plumb.server.store;

import dev.plumb.system.Hashing;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/** Random secrets (enroll tokens, host credentials) and the sha256 the store keeps of them instead. */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /** 32 random bytes, base64url without padding: 43 characters. */
    public static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String sha256(String secret) {
        return Hashing.sha256(secret.getBytes(StandardCharsets.UTF_8));
    }
}

package dev.plumb.transport.ssh;

import dev.plumb.system.FileErrors;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.ClientSessionCreator;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * Verifies each host's key against {@link KnownHosts} as OpenSSH's {@code StrictHostKeyChecking=yes} (or
 * {@code accept-new}) does: a known key passes, an unknown one fails unless new keys are accepted, a changed one
 * always fails, and so do a key marked {@code @revoked} and a host whose only known_hosts lines plumb cannot read.
 * Why a key was refused is kept, by session, for the connection's error.
 */
final class HostKeyCheck implements ServerKeyVerifier {

    /**
     * Why each refused host's key was refused, until its connection asks: not a session attribute, which the session
     * MINA closes at once may have dropped by then.
     */
    private final Map<ClientSession, String> refusals = new ConcurrentHashMap<>();

    private final KnownHosts knownHosts;
    private final boolean acceptNew;

    HostKeyCheck(KnownHosts knownHosts, boolean acceptNew) {
        this.knownHosts = knownHosts;
        this.acceptNew = acceptNew;
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey key) {
        // Through a ProxyJump, the session connects to a local forwarded port; MINA names the real target apart.
        SshdSocketAddress jumpedTo = session.getAttribute(ClientSessionCreator.TARGET_SERVER);
        SocketAddress target = jumpedTo != null ? jumpedTo : session.getConnectAddress();
        String host = target instanceof SshdSocketAddress address ? address.getHostName()
                : ((InetSocketAddress) target).getHostString();
        int port = target instanceof SshdSocketAddress address ? address.getPort() : ((InetSocketAddress) target).getPort();
        String refusal;
        try {
            refusal = refusal(host, port, key);
        } catch (IOException e) {
            refusal = "cannot check the host key of " + host + " in known_hosts: " + FileErrors.describe(e);
        }
        if (refusal != null) {
            refusals.put(session, refusal);
        }
        return refusal == null;
    }

    /** Why {@code session}'s host key was refused, once; null when it was not. */
    String refusalOf(ClientSession session) {
        return refusals.remove(session);
    }

    /**
     * Why {@code key} is refused for {@code host}; null when it is trusted (or has just been recorded). With new keys
     * accepted, the files are read and the key recorded under one lock, so that hosts checked at once (or another
     * plumb) neither record a key twice nor take a host just recorded with another key for a new one.
     */
    private String refusal(String host, int port, PublicKey key) throws IOException {
        if (!acceptNew) {
            return refusal(host, port, key, knownHosts.entriesOf(host, port));
        }
        return knownHosts.recording(recorder -> {
            KnownHosts.Entries entries = knownHosts.entriesOf(host, port);
            if (entries.unknown() && entries.revoked().stream().noneMatch(r -> KeyUtils.compareKeys(r.key(), key))) {
                recorder.record(host, port, key);
                return null;
            }
            return refusal(host, port, key, entries);
        });
    }

    /** Why {@code key} is refused for {@code host}, given what known_hosts says of it; null when it is known. */
    private String refusal(String host, int port, PublicKey key, KnownHosts.Entries entries) {
        String where = port == 22 ? host : host + " port " + port;
        String alias = port == 22 ? host : "[" + host + "]:" + port;
        for (KnownHosts.KnownKey revoked : entries.revoked()) {
            if (KeyUtils.compareKeys(revoked.key(), key)) {
                return "REVOKED host key: " + where + " offers " + KnownHosts.describe(key) + ", which known_hosts marks "
                        + "@revoked (" + revoked.where() + "); nothing was sent to it. Give the host a new key";
            }
        }
        List<KnownHosts.KnownKey> known = entries.keys();
        if (known.stream().anyMatch(k -> KeyUtils.compareKeys(k.key(), key))) {
            return null;
        }
        if (entries.unknown()) {
            return "host key not known: " + where + " offers " + KnownHosts.describe(key) + ", found in no known_hosts;"
                    + " if that is its key, run again with --accept-new-host-keys to record it in "
                    + SshText.shortPath(knownHosts.userFile());
        }
        if (known.isEmpty()) {
            return "host key not verified: " + where + " offers " + KnownHosts.describe(key) + " but the known_hosts "
                    + "line for it cannot be read (" + String.join(", ", entries.unreadable()) + "): plumb reads "
                    + "ssh-ed25519, ecdsa-sha2-nistp256/384/521 and ssh-rsa keys; fix or remove that line, then connect "
                    + "again; nothing was sent to it";
        }
        String knownKeys = known.stream().map(k -> KnownHosts.describe(k.key()) + " (" + k.where() + ")")
                .collect(Collectors.joining(", "));
        return "HOST KEY CHANGED: " + where + " offers " + KnownHosts.describe(key) + " but known_hosts has "
                + knownKeys + "; nothing was sent to it. If the host was reinstalled, remove the old key with "
                + "ssh-keygen -R '" + alias + "' and connect again";
    }
}

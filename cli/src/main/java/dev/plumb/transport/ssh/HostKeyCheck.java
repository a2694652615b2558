package dev.plumb.transport.ssh;

import dev.plumb.system.FileErrors;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.PublicKey;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.ClientSessionCreator;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * Verifies each host's key against {@link KnownHosts} as OpenSSH's {@code StrictHostKeyChecking=yes} (or
 * {@code accept-new}) does: a known key passes, an unknown one fails unless new keys are accepted, a changed one
 * always fails, and so do a key marked {@code @revoked} and a host whose only known_hosts lines plumb cannot read.
 * As OpenSSH does, it asks each host first for the types of key known_hosts holds for it, so that a host known by its
 * RSA or ECDSA key shows that key, not its ed25519 one. Why a key was refused is kept, by connection attempt (a
 * ProxyJump host's session shares its target's), for the connection's error.
 */
final class HostKeyCheck implements ServerKeyVerifier, SessionListener {

    /**
     * Why each refused host's key was refused, by connection attempt (its connection context), until its connection
     * asks: not a session attribute, which the session MINA closes at once may have dropped by then.
     */
    private final Map<Object, String> refusals = new ConcurrentHashMap<>();

    private final KnownHosts knownHosts;
    private final boolean acceptNew;

    HostKeyCheck(KnownHosts knownHosts, boolean acceptNew) {
        this.knownHosts = knownHosts;
        this.acceptNew = acceptNew;
    }

    /** The host and port a session is about: through a ProxyJump, MINA names the real target apart. */
    private record Target(String host, int port) {

        /** The session's target; null before MINA knows where it connects. */
        static Target of(ClientSession session) {
            SshdSocketAddress jumpedTo = session.getAttribute(ClientSessionCreator.TARGET_SERVER);
            SocketAddress target = jumpedTo != null ? jumpedTo : session.getConnectAddress();
            if (target instanceof SshdSocketAddress address) {
                return new Target(address.getHostName(), address.getPort());
            }
            return target instanceof InetSocketAddress address ? new Target(address.getHostString(), address.getPort())
                    : null;
        }
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey key) {
        Target target = Target.of(session);
        if (target == null) {
            refusals.put(attemptOf(session), "cannot check the host key: the session has no address (this is a bug in plumb)");
            return false;
        }
        String refusal;
        try {
            refusal = refusal(target.host(), target.port(), key);
        } catch (IOException e) {
            refusal = "cannot check the host key of " + target.host() + " in known_hosts: " + FileErrors.describe(e);
        }
        if (refusal != null) {
            refusals.put(attemptOf(session), refusal);
        }
        return refusal == null;
    }

    /**
     * Puts first, in the host key algorithms the session proposes, those of the key types known_hosts holds for its
     * host (OpenSSH and JGit do so too): MINA would otherwise ask every host for the same type first.
     */
    @Override
    public void sessionNegotiationOptionsCreated(Session session, Map<KexProposalOption, String> proposal) {
        if (!(session instanceof ClientSession client) || proposal.get(KexProposalOption.SERVERKEYS) == null) {
            return;
        }
        Target target = Target.of(client);
        if (target == null) {
            return;
        }
        Set<String> known;
        try {
            known = knownHosts.entriesOf(target.host(), target.port()).keys().stream()
                    .flatMap(k -> KeyUtils.getAllEquivalentKeyTypes(KeyUtils.getKeyType(k.key())).stream())
                    .collect(Collectors.toSet());
        } catch (IOException unreadable) {
            return; // verifyServerKey reads the files again, and says why it cannot.
        }
        List<String> algorithms = List.of(proposal.get(KexProposalOption.SERVERKEYS).split(","));
        proposal.put(KexProposalOption.SERVERKEYS, algorithms.stream()
                .sorted(Comparator.comparing(algorithm -> !known.contains(algorithm))).collect(Collectors.joining(",")));
    }

    /** Why the key of a host of this connection attempt was refused, once; null when none was. */
    String refusalOf(AttributeRepository attempt) {
        return refusals.remove(attempt);
    }

    /** The connection attempt a session is part of: its connection context, which a ProxyJump session shares. */
    private static Object attemptOf(ClientSession session) {
        AttributeRepository context = session.getConnectionContext();
        return context != null ? context : session;
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

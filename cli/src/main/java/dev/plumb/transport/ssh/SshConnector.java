package dev.plumb.transport.ssh;

import dev.plumb.compiler.SshSettings;
import dev.plumb.transport.HostUnreachableException;
import dev.plumb.transport.SshOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.ConfigFileHostEntryResolver;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.apache.sshd.client.config.keys.ClientIdentitiesWatcher;
import org.apache.sshd.client.future.AuthFuture;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * Opens the SSH sessions of a command's hosts, as OpenSSH's {@code ssh} would: {@code ~/.ssh/config} (with the
 * inventory's values first), the inventory's key, the default keys and the ssh-agent, and host keys checked against
 * known_hosts. One MINA client serves every host; each connection is bounded by the connect timeout, from the TCP
 * connect to the end of authentication.
 */
public final class SshConnector implements AutoCloseable {

    /** Names a connection attempt, whose sessions share it as their connection context. */
    private static final AttributeRepository.AttributeKey<String> ATTEMPT = new AttributeRepository.AttributeKey<>();

    private final SshOptions options;
    private final OpenSshFiles files;
    private final HostKeyCheck hostKeyCheck;
    private SshClient client;

    public SshConnector(SshOptions options, OpenSshFiles files) {
        this.options = options;
        this.files = files;
        this.hostKeyCheck = new HostKeyCheck(new KnownHosts(files.knownHosts(), options.projectKnownHosts()),
                options.acceptNewHostKeys());
    }

    SshOptions options() {
        return options;
    }

    /** An authenticated session to the host, and who it logged in as where. */
    record Connection(ClientSession session, String user, String hostName, int port) {

        /** {@code 192.0.2.10}, or {@code 192.0.2.10 port 2222} off the usual port. */
        String where() {
            return port == 22 ? hostName : hostName + " port " + port;
        }
    }

    /** Connects to the host {@code settings} describe and authenticates, or says in one line why it cannot. */
    Connection connect(SshSettings settings) throws HostUnreachableException {
        HostConfigEntry entry = resolve(settings);
        Connection target = new Connection(null, entry.getUsername(), entry.getHostName(), entry.getPort());
        Duration timeout = options.connectTimeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        // This attempt's sessions (a ProxyJump host's too) share it: the host key check keeps its refusals by it.
        AttributeRepository attempt = AttributeRepository.ofKeyValuePair(ATTEMPT, settings.address());
        ClientSession session = null;
        boolean connected = false;
        try {
            ConnectFuture connecting = client().connect(entry, attempt, null);
            if (!connecting.await(timeout)) {
                connecting.cancel();
                throw refusedOr(attempt, unreachable(target, "no answer within " + SshText.seconds(timeout)
                        + " (--connect-timeout)"));
            }
            if (connecting.getException() != null) {
                throw refusedOr(attempt, unreachable(target, connectFailure(connecting.getException())));
            }
            session = connecting.getSession();
            AuthFuture auth = session.auth();
            if (!auth.await(Math.max(0, (deadline - System.nanoTime()) / 1_000_000))) {
                throw unreachable(target, session.getServerVersion() == null
                        ? "it accepts connections but does not speak SSH (no greeting within " + SshText.seconds(timeout) + ")"
                        : "no SSH handshake within " + SshText.seconds(timeout) + " (--connect-timeout)");
            }
            if (!auth.isSuccess()) {
                throw authFailure(attempt, session, entry, target, auth.getException());
            }
            connected = true;
            return new Connection(session, target.user(), target.hostName(), target.port());
        } catch (IOException e) {
            throw refusedOr(attempt, unreachable(target, connectFailure(e)));
        } finally {
            // Not returned: closed, even when authentication ended after its wait did.
            if (session != null && !connected) {
                session.close(true);
            }
        }
    }

    /** Why a host key of this attempt (the target's or a ProxyJump host's) was refused; else {@code other}. */
    private HostUnreachableException refusedOr(AttributeRepository attempt, HostUnreachableException other) {
        String refusal = hostKeyCheck.refusalOf(attempt);
        return refusal != null ? new HostUnreachableException(refusal) : other;
    }

    /** Why authentication ended without a session: a refused host key, or no key the host accepts. */
    private HostUnreachableException authFailure(AttributeRepository attempt, ClientSession session, HostConfigEntry entry,
                                                 Connection target, Throwable failure) {
        String refusal = hostKeyCheck.refusalOf(attempt);
        if (refusal != null) {
            return new HostUnreachableException(refusal);
        }
        if (session.getServerKey() == null) {
            return unreachable(target, "SSH handshake failed: " + describe(failure));
        }
        return new HostUnreachableException("authentication failed as " + target.user() + " at " + target.where()
                + ": the host accepted none of the keys tried (" + triedKeys(entry) + ")");
    }

    /** The keys this connection offered, as a user would look for them. */
    private String triedKeys(HostConfigEntry entry) {
        List<String> tried = new ArrayList<>();
        if (entry.getIdentities() != null) {
            entry.getIdentities().forEach(identity -> tried.add(SshText.shortPath(Path.of(identity))));
        }
        files.defaultKeys().stream().filter(Files::isRegularFile).map(SshText::shortPath)
                .filter(key -> !tried.contains(key)).forEach(tried::add);
        if (files.hasAgent()) {
            tried.add("the keys of the ssh-agent at " + files.agentSocket());
        }
        return tried.isEmpty() ? "none found: name one with identity: in the inventory, or add one to "
                + SshText.shortPath(files.directory()) + " or the ssh-agent" : String.join(", ", tried);
    }

    /**
     * The host as {@code ssh ADDRESS} would reach it: the entry {@code ~/.ssh/config} gives for the address (HostName,
     * User, Port, IdentityFile, ProxyJump), with the inventory's port, user and key first.
     */
    private HostConfigEntry resolve(SshSettings settings) throws HostUnreachableException {
        HostConfigEntry entry;
        try {
            entry = client().getHostConfigEntryResolver().resolveEffectiveHost(settings.address(), 0, null, null, null, null);
        } catch (IOException e) {
            throw new HostUnreachableException("cannot read " + SshText.shortPath(files.config()) + ": " + describe(e));
        }
        if (entry == null) {
            entry = new HostConfigEntry(settings.address(), settings.address(), 22, null);
        }
        if (settings.port() != null) {
            entry.setPort(settings.port());
        } else if (entry.getPort() <= 0) {
            entry.setPort(22);
        }
        if (settings.user() != null) {
            entry.setUsername(settings.user());
        } else if (entry.getUsername() == null || entry.getUsername().isBlank()) {
            entry.setUsername(System.getProperty("user.name"));
        }
        if (settings.identity() != null) {
            List<String> identities = new ArrayList<>();
            identities.add(settings.identity().toString());
            if (entry.getIdentities() != null) {
                identities.addAll(entry.getIdentities());
            }
            entry.setIdentities(identities);
        }
        return entry;
    }

    /** One line for why the TCP connection could not be made. */
    private static String connectFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return "connection refused";
            }
            if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
                return "name not resolved";
            }
            if (cause instanceof NoRouteToHostException) {
                return "no route to host";
            }
        }
        return describe(failure);
    }

    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    private static HostUnreachableException unreachable(Connection target, String reason) {
        return new HostUnreachableException("not reachable: " + reason + " (" + target.user() + "@" + target.where() + ")");
    }

    /** The client, started on first use: commands whose hosts are all local never start its threads. */
    private synchronized SshClient client() {
        if (client == null) {
            client = SshClient.setUpDefaultClient();
            client.setServerKeyVerifier(hostKeyCheck);
            client.addSessionListener(hostKeyCheck);
            // As OpenSSH: the key exchange starts once the host has greeted, when a session through a ProxyJump knows
            // its target, whose known key types the host key check puts first.
            CoreModuleProperties.SEND_IMMEDIATE_KEXINIT.set(client, false);
            client.setHostConfigEntryResolver(new ConfigFileHostEntryResolver(files.config()));
            client.setKeyIdentityProvider(new ClientIdentitiesWatcher(files.defaultKeys(), client.getClientIdentityLoader(),
                    client.getFilePasswordProvider(), false));
            if (files.hasAgent()) {
                client.setAgentFactory(new UnixSocketAgent.Factory(files.agentSocket()));
            }
            // plumb runs unattended: keys only, never a password prompt.
            client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
            client.setSignatureFactories(openSshOrder(client.getSignatureFactories()));
            // A run may print nothing for long; a dead peer is found by keep-alives (4 unanswered, 15 s apart).
            CoreModuleProperties.IDLE_TIMEOUT.set(client, Duration.ZERO);
            CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, Duration.ofSeconds(15));
            CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, 4);
            client.start();
        }
        return client;
    }

    /**
     * The signature algorithms with ed25519 first, as OpenSSH prefers them for a host not known yet (for a known host,
     * {@link HostKeyCheck} puts its known key types first).
     */
    private static List<NamedFactory<Signature>> openSshOrder(List<NamedFactory<Signature>> factories) {
        return factories.stream().sorted(Comparator.comparing(factory -> !factory.getName().contains("ed25519")))
                .collect(Collectors.toList());
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.stop();
        }
    }
}

package dev.plumb.transport.ssh;

import java.io.EOFException;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.agent.SshAgentServer;
import org.apache.sshd.agent.common.AbstractAgentProxy;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * The running ssh-agent at {@code SSH_AUTH_SOCK}, spoken to over a Unix domain socket of the JDK (MINA's own client
 * for it needs the native APR library).
 */
final class UnixSocketAgent extends AbstractAgentProxy {

    private final SocketChannel socket;

    private UnixSocketAgent(SocketChannel socket) {
        super(null);
        this.socket = socket;
    }

    /** {@code buffer} is a whole request, its length first; the answer is returned without its length. */
    @Override
    protected synchronized Buffer request(Buffer buffer) throws IOException {
        socket.write(ByteBuffer.wrap(buffer.array(), buffer.rpos(), buffer.available()));
        ByteBuffer length = readFully(4);
        return new ByteArrayBuffer(readFully(length.getInt()).array());
    }

    private ByteBuffer readFully(int size) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(size);
        while (bytes.hasRemaining()) {
            if (socket.read(bytes) < 0) {
                throw new EOFException("the ssh-agent closed its socket");
            }
        }
        return bytes.flip();
    }

    @Override
    public boolean isOpen() {
        return socket.isOpen();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        super.close();
    }

    /** Connects every session that authenticates to the agent at {@code socket}. */
    record Factory(Path socket) implements SshAgentFactory {

        @Override
        public SshAgent createClient(Session session, FactoryManager manager) throws IOException {
            return new UnixSocketAgent(SocketChannel.open(UnixDomainSocketAddress.of(socket)));
        }

        /**
         * MINA insists on an agent forwarding channel type when an agent is set. plumb never forwards the agent, so
         * this one refuses every such channel a host opens: no host may use the user's keys.
         */
        @Override
        public List<ChannelFactory> getChannelForwardingFactories(FactoryManager manager) {
            return List.of(new ChannelFactory() {
                @Override
                public String getName() {
                    return "auth-agent@openssh.com";
                }

                @Override
                public Channel createChannel(Session session) {
                    return null;
                }
            });
        }

        @Override
        public SshAgentServer createServer(ConnectionService service) {
            throw new UnsupportedOperationException("plumb does not forward the ssh-agent to hosts");
        }
    }
}

package dev.plumb.transport.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelListener;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.util.buffer.Buffer;

/**
 * One command on a host, on its own channel of the host's session: its standard input sent whole (at once, or
 * later for a command that first prints something), its output kept in memory, its end awaited up to a deadline. A command started {@link #announcingPid} tells its process id first
 * (on stderr), so that it can be signalled with {@code kill}.
 */
final class RemoteCommand implements AutoCloseable {

    /** How a command ended: its exit status, or the signal that killed it; what it printed. */
    record Result(Integer exitStatus, String exitSignal, byte[] stdout, String stderr) {

        boolean succeeded() {
            return exitStatus != null && exitStatus == 0;
        }

        String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        /** The last line of stderr that says something, as the likeliest reason of a failure. */
        String reason() {
            String[] lines = stderr.strip().split("\n");
            String last = lines[lines.length - 1].strip();
            if (!last.isEmpty()) {
                return last;
            }
            return exitSignal != null ? "killed by signal " + exitSignal : "exit status " + exitStatus;
        }
    }

    /** The connection to the host ended before the command did. */
    static final class ConnectionLostException extends IOException {
        ConnectionLostException(String message) {
            super(message);
        }
    }

    /** The first line on stderr of a command that announces its process id. */
    private static final Pattern PID_LINE = Pattern.compile("\\Aplumb-remote-pid ([0-9]+)\n");

    private final ChannelExec channel;
    /** What the command printed so far; each write wakes {@link #awaitOutput}. */
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream() {
        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            super.write(bytes, offset, length);
            notifyAll();
        }

        @Override
        public synchronized void write(int b) {
            super.write(b);
            notifyAll();
        }
    };
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    private RemoteCommand(ChannelExec channel) {
        this.channel = channel;
        channel.setOut(stdout);
        channel.setErr(stderr);
        channel.addChannelListener(new ChannelListener() {
            @Override
            public void channelClosed(Channel closed, Throwable reason) {
                synchronized (stdout) {
                    stdout.notifyAll();
                }
            }
        });
    }

    /** Starts {@code command} on the host's login shell and sends it {@code stdin}, then its end. */
    static RemoteCommand start(ClientSession session, String command, byte[] stdin, Duration openTimeout)
            throws IOException {
        RemoteCommand remote = open(session, command, openTimeout);
        remote.send(stdin);
        return remote;
    }

    /** Starts {@code command} on the host's login shell; its standard input stays open for {@link #send}. */
    static RemoteCommand open(ClientSession session, String command, Duration openTimeout) throws IOException {
        RemoteCommand remote = new RemoteCommand(session.createExecChannel(command));
        try {
            remote.channel.open().verify(openTimeout);
            return remote;
        } catch (IOException e) {
            remote.close();
            throw session.isOpen() ? e : new ConnectionLostException(e.getMessage());
        }
    }

    /** Sends the command {@code stdin}, then its end. */
    void send(byte[] stdin) throws ConnectionLostException {
        try {
            OutputStream in = channel.getInvertedIn();
            in.write(stdin);
            in.close();
        } catch (IOException stoppedReading) {
            // The command ended before it read all its input (a full disk, say): its exit status and stderr, which
            // await() returns, say why; only a lost connection is this method's to report.
            if (!channel.getSession().isOpen()) {
                close();
                throw new ConnectionLostException(stoppedReading.getMessage());
            }
        }
    }

    /**
     * Waits, at most until {@code deadline}, for the command's output so far to hold what {@code complete} looks for,
     * and returns what it finds; empty when the command ended (or its connection did) without printing it.
     */
    <T> Optional<T> awaitOutput(Function<byte[], Optional<T>> complete, long deadline) throws TimeoutException {
        synchronized (stdout) {
            while (true) {
                Optional<T> found = complete.apply(stdout.toByteArray());
                if (found.isPresent() || channel.isClosed() || channel.isClosing()) {
                    return found;
                }
                long millis = (deadline - System.nanoTime()) / 1_000_000;
                if (millis <= 0) {
                    throw new TimeoutException();
                }
                try {
                    // Woken by each write of output and by the channel closing.
                    stdout.wait(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return found;
                }
            }
        }
    }

    /**
     * {@code command}, as a shell that tells its process id and then becomes {@code command} ({@code exec}), so that
     * the process that id names is the command itself, which {@code kill} stops in order.
     */
    static String announcingPid(String command) {
        return "exec sh -c " + Shell.quote("echo \"plumb-remote-pid $$\" >&2; exec " + command);
    }

    /** The process id the command announced; empty before it has or when it was not asked to. */
    OptionalLong pid() {
        Matcher line = PID_LINE.matcher(stderr.toString(StandardCharsets.UTF_8));
        return line.lookingAt() ? OptionalLong.of(Long.parseLong(line.group(1))) : OptionalLong.empty();
    }

    /** Waits until the command ends, at most until {@code deadline} (of {@link System#nanoTime}). */
    Result await(long deadline) throws TimeoutException, ConnectionLostException {
        long millis = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), millis);
        if (!events.contains(ClientChannelEvent.CLOSED)) {
            throw new TimeoutException();
        }
        if (channel.getExitStatus() == null && channel.getExitSignal() == null) {
            throw new ConnectionLostException("the connection ended before the command did");
        }
        return new Result(channel.getExitStatus(), channel.getExitSignal(), stdout.toByteArray(),
                PID_LINE.matcher(stderr.toString(StandardCharsets.UTF_8)).replaceFirst(""));
    }

    /**
     * Sends the command a signal ({@code INT}, {@code TERM}) through SSH: OpenSSH's sshd (7.9 and later) passes it to
     * the command's process group, but only for users other than root (it needs privilege separation).
     */
    void signal(String name) {
        try {
            Buffer request = channel.getSession().createBuffer(SshConstants.SSH_MSG_CHANNEL_REQUEST, 32);
            request.putUInt(channel.getRecipient());
            request.putString("signal");
            request.putBoolean(false);
            request.putString(name);
            channel.writePacket(request);
        } catch (IOException e) {
            // The channel is gone: so is the command's connection to plumb, and the host's run goes on alone.
        }
    }

    @Override
    public void close() {
        channel.close(true);
    }
}

package dev.plumb.transport.ssh;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
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
 * later for a command that first prints something), its output kept in memory up to a bound, its end awaited up to a
 * deadline. What the host's login shell prints before the command starts (a noisy {@code .bashrc}) is dropped: the
 * command is preceded by a marker of its own on both streams, and only what follows the marker is the command's. A
 * command started {@link #announcingPid} tells its process id first (on stderr), so that it can be signalled with
 * {@code kill}.
 */
final class RemoteCommand implements AutoCloseable {

    /** The most of a command's standard output plumb keeps: far more than any report, bounded against a hostile host. */
    static final int STDOUT_LIMIT = 64 << 20;
    /** The most of a command's standard error plumb keeps: its last lines, which say why it failed. */
    static final int STDERR_LIMIT = 64 << 10;

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

    /** The command printed more than {@link #STDOUT_LIMIT} on its standard output; plumb closed its channel. */
    static final class TooMuchOutputException extends IOException {
        TooMuchOutputException() {
            super("printed more than " + (STDOUT_LIMIT >> 20) + " MiB on its standard output");
        }
    }

    /** What the command printed so far, from {@link #awaitOutput}'s point of view; read without copying it. */
    interface Printed {

        int size();

        byte byteAt(int index);

        /** The bytes from {@code from} (inclusive) to {@code to} (exclusive). */
        byte[] range(int from, int to);
    }

    /** The first line on stderr of a command that announces its process id. */
    private static final Pattern PID_LINE = Pattern.compile("plumb-remote-pid ([0-9]{1,10})");

    private final ChannelExec channel;
    private final String marker;
    /** What the command printed so far; each write wakes {@link #awaitOutput}. */
    private final Output stdout;
    private final Output stderr;

    private RemoteCommand(ClientSession session, String command) throws IOException {
        this.marker = "plumb-start-" + UUID.randomUUID();
        this.channel = session.createExecChannel("echo " + marker + "; echo " + marker + " >&2; " + command);
        this.stdout = new Output(marker, STDOUT_LIMIT, false, () -> channel.close(true));
        this.stderr = new Output(marker, STDERR_LIMIT, true, () -> { });
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
        RemoteCommand remote = new RemoteCommand(session, command);
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
        deliver(stdin, true);
    }

    /** Sends the command the start of its standard input, which stays open for {@link #send}. */
    void write(byte[] start) throws ConnectionLostException {
        deliver(start, false);
    }

    private void deliver(byte[] bytes, boolean last) throws ConnectionLostException {
        try {
            OutputStream in = channel.getInvertedIn();
            in.write(bytes);
            if (last) {
                in.close();
            } else {
                in.flush();
            }
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
    <T> Optional<T> awaitOutput(Function<Printed, Optional<T>> complete, long deadline)
            throws TimeoutException, TooMuchOutputException {
        synchronized (stdout) {
            while (true) {
                if (stdout.overflowed()) {
                    throw new TooMuchOutputException();
                }
                Optional<T> found = complete.apply(stdout);
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
        String line = stderr.firstLine();
        Matcher pid = line == null ? null : PID_LINE.matcher(line);
        return pid != null && pid.matches() ? OptionalLong.of(Long.parseLong(pid.group(1))) : OptionalLong.empty();
    }

    /** Waits until the command ends, at most until {@code deadline} (of {@link System#nanoTime}). */
    Result await(long deadline) throws TimeoutException, ConnectionLostException, TooMuchOutputException {
        long millis = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), millis);
        if (!events.contains(ClientChannelEvent.CLOSED)) {
            throw new TimeoutException();
        }
        if (stdout.overflowed()) {
            throw new TooMuchOutputException();
        }
        if (channel.getExitStatus() == null && channel.getExitSignal() == null) {
            throw new ConnectionLostException("the connection ended before the command did");
        }
        String errors = stderr.text();
        String pidLine = stderr.firstLine();
        if (pidLine != null && PID_LINE.matcher(pidLine).matches() && errors.startsWith(pidLine + "\n")) {
            errors = errors.substring(pidLine.length() + 1);
        }
        return new Result(channel.getExitStatus(), channel.getExitSignal(), stdout.range(0, stdout.size()), errors);
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

    /**
     * One output stream of the command: what follows its marker line, at most {@code limit} bytes. Beyond the limit,
     * standard error keeps its tail; standard output is cut off and the command's channel closed, for a report cut
     * short is no report. Before the marker, only as much as could still be its start is kept.
     */
    private static final class Output extends OutputStream implements Printed {

        private final byte[] marker;
        private final int limit;
        private final boolean keepTail;
        private final Runnable onOverflow;
        private byte[] bytes = new byte[256];
        private int size;
        private boolean started;
        private boolean overflowed;
        /** The first line after the marker, once whole (bounded); null before. */
        private String firstLine;

        Output(String marker, int limit, boolean keepTail, Runnable onOverflow) {
            this.marker = (marker + "\n").getBytes(StandardCharsets.US_ASCII);
            this.limit = limit;
            this.keepTail = keepTail;
            this.onOverflow = onOverflow;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] data, int offset, int length) {
            if (overflowed) {
                return;
            }
            if (!keepTail && started && size + length > limit) {
                overflowed = true;
                onOverflow.run();
                notifyAll();
                return;
            }
            append(data, offset, length);
            if (!started) {
                skipToMarker();
            } else if (size > limit) {
                drop(size - limit);
            }
            if (started && firstLine == null) {
                int end = indexOf((byte) '\n', 0);
                if (end >= 0 || size > 256) {
                    firstLine = new String(bytes, 0, end >= 0 ? Math.min(end, 256) : 256, StandardCharsets.UTF_8);
                }
            }
            notifyAll();
        }

        private void append(byte[] data, int offset, int length) {
            if (size + length > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(size + length, Math.min(2 * bytes.length, limit + length)));
            }
            System.arraycopy(data, offset, bytes, size, length);
            size += length;
        }

        /** Drops what the login shell printed before the marker, and the marker; keeps a possible partial marker. */
        private void skipToMarker() {
            for (int i = 0; i + marker.length <= size; i++) {
                if (Arrays.equals(bytes, i, i + marker.length, marker, 0, marker.length)) {
                    drop(i + marker.length);
                    started = true;
                    return;
                }
            }
            if (size >= marker.length) {
                drop(size - marker.length + 1);
            }
        }

        private void drop(int count) {
            System.arraycopy(bytes, count, bytes, 0, size - count);
            size -= count;
        }

        private int indexOf(byte wanted, int from) {
            for (int i = from; i < size; i++) {
                if (bytes[i] == wanted) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public synchronized int size() {
            return started ? size : 0;
        }

        @Override
        public synchronized byte byteAt(int index) {
            return bytes[index];
        }

        @Override
        public synchronized byte[] range(int from, int to) {
            return started ? Arrays.copyOfRange(bytes, from, to) : new byte[0];
        }

        synchronized boolean overflowed() {
            return overflowed;
        }

        synchronized String firstLine() {
            return firstLine;
        }

        synchronized String text() {
            return started ? new String(bytes, 0, size, StandardCharsets.UTF_8) : "";
        }
    }
}

package dev.plumb.transport.ssh;

import dev.plumb.system.FileErrors;
import dev.plumb.system.Hashing;
import dev.plumb.transport.HostUnreachableException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent jar plumb sends to hosts ({@code plumb-agent.jar}, built into plumb's own jar), kept on each host under
 * its sha256 so that it is sent once, and again only when plumb changes.
 *
 * @param bytes  the jar
 * @param sha256 its hex digest, the name it has on hosts
 */
record AgentJar(byte[] bytes, String sha256) {

    /** A jar to send instead of the built-in one: tests send the agent they were built with. */
    static final String OVERRIDE_PROPERTY = "plumb.agentJar";

    private static final String RESOURCE = "plumb-agent.jar";
    private static final AtomicInteger UPLOADS = new AtomicInteger();
    private static AgentJar loaded;

    /** The jar of this plumb, read once. */
    static synchronized AgentJar get() throws HostUnreachableException {
        if (loaded == null) {
            loaded = read();
        }
        return loaded;
    }

    private static AgentJar read() throws HostUnreachableException {
        String override = System.getProperty(OVERRIDE_PROPERTY);
        try {
            if (override != null) {
                byte[] bytes = Files.readAllBytes(Path.of(override));
                return new AgentJar(bytes, Hashing.sha256(bytes));
            }
            try (InputStream in = AgentJar.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new HostUnreachableException("this build of plumb holds no agent jar to send to hosts; build "
                            + "plumb with ./mvnw package, which puts agent/target/plumb-agent.jar into it");
                }
                byte[] bytes = in.readAllBytes();
                return new AgentJar(bytes, Hashing.sha256(bytes));
            }
        } catch (IOException e) {
            throw new HostUnreachableException("cannot read the agent jar " + override + ": " + FileErrors.describe(e));
        }
    }

    /** Counts one jar sent to a host. */
    static void uploaded() {
        UPLOADS.incrementAndGet();
    }

    /** How many jars this process has sent to hosts, for tests that prove a jar is sent only once. */
    static int uploads() {
        return UPLOADS.get();
    }
}

package dev.plumb.transport.ssh;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.plumb.agent.AgentMain;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.ObjectMapper;

/**
 * The agent as the tests send it to hosts: one self-contained jar of the agent's classes and Jackson as this build
 * has them (at the test phase, before {@code plumb-agent.jar} is packaged), so that it runs on any host with Java,
 * whether the host shares this machine's files or is a Debian system of its own. Made once per test JVM, as plumb
 * reads its agent jar once.
 */
public final class TestAgentJar {

    private static Path jar;

    private TestAgentJar() {
    }

    /** The jar, with plumb told to send it instead of the one built into plumb's jar. */
    public static synchronized Path sentToHosts() throws IOException {
        if (jar == null) {
            Path directory = Files.createTempDirectory("plumb-test-agent-");
            jar = directory.resolve("plumb-agent-test.jar");
            write(jar);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Files.deleteIfExists(jar);
                    Files.deleteIfExists(directory);
                } catch (IOException ignored) {
                    // A temp file left behind.
                }
            }));
            System.setProperty(AgentJar.OVERRIDE_PROPERTY, jar.toString());
        }
        return jar;
    }

    /** How many agent jars this test JVM has sent to hosts. */
    public static int uploads() {
        return AgentJar.uploads();
    }

    private static void write(Path target) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, AgentMain.class.getName());
        Set<String> written = new HashSet<>(Set.of("META-INF/", "META-INF/MANIFEST.MF"));
        try (OutputStream file = Files.newOutputStream(target); JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (Class<?> type : List.of(AgentMain.class, ObjectMapper.class, JsonParser.class, JsonInclude.class)) {
                copy(location(type), out, written);
            }
        }
    }

    private static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every file of a classes directory or a jar, but signatures and what is already there. */
    private static void copy(Path classes, JarOutputStream out, Set<String> written) throws IOException {
        if (Files.isDirectory(classes)) {
            copyTree(classes, out, written);
            return;
        }
        try (FileSystem jar = FileSystems.newFileSystem(classes)) {
            copyTree(jar.getPath("/"), out, written);
        }
    }

    private static void copyTree(Path root, JarOutputStream out, Set<String> written) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String name = root.relativize(file).toString().replace('\\', '/');
                if (name.matches("META-INF/.*\\.(SF|RSA|DSA|EC)") || !written.add(name)) {
                    continue;
                }
                out.putNextEntry(new JarEntry(name));
                try (InputStream in = Files.newInputStream(file)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
    }
}

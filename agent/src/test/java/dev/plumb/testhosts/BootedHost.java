package dev.plumb.testhosts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Debian host with systemd as PID 1, booted once for a test class and halted after it, with the real agent ready to
 * run in it: {@code @RegisterExtension static final BootedHost booted = new BootedHost("plumbtest-name");}. Where no
 * host can boot, the class is skipped, saying why.
 */
public final class BootedHost implements BeforeAllCallback, AfterAllCallback {

    private final String name;
    private Path work;
    private SystemdHost host;
    private AgentInHost agent;

    public BootedHost(String name) {
        this.name = name;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        SystemdHost.assumeBootable();
        work = Files.createTempDirectory(name + "-agent-");
        host = SystemdHost.boot(name);
        agent = new AgentInHost(host, work);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (host != null) {
                host.close();
            }
        } finally {
            if (work != null) {
                deleteTree(work);
            }
        }
    }

    public SystemdHost host() {
        return host;
    }

    public AgentInHost agent() {
        return agent;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}

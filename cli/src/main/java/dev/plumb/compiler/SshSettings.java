package dev.plumb.compiler;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * How to reach a host over SSH, as the inventory says it, per host or per group: {@code address}, {@code port},
 * {@code user}, {@code identity} (a private key file) and {@code become} (run the agent as root through
 * {@code sudo -n}). What the inventory leaves out (null) comes from {@code ~/.ssh/config}, then from OpenSSH's
 * defaults, as with {@code ssh ADDRESS}.
 *
 * @param address  the host name, alias of {@code ~/.ssh/config} or IP address; null in a group
 * @param port     null for the port of {@code ~/.ssh/config}, else 22
 * @param user     null for the user of {@code ~/.ssh/config}, else the user running plumb
 * @param identity an absolute private key file, tried before the keys of {@code ~/.ssh/config} and the ssh-agent
 * @param become   whether the agent runs through {@code sudo -n}; null when not said
 */
public record SshSettings(String address, Integer port, String user, Path identity, Boolean become) {

    static final List<String> KEYS = List.of("port", "user", "identity", "become");
    private static final SshSettings NONE = new SshSettings(null, null, null, null, null);

    /** Whether the agent runs as root through {@code sudo -n}. */
    public boolean becomesRoot() {
        return Boolean.TRUE.equals(become);
    }

    /** These settings, with what they leave out taken from {@code fallback}. */
    SshSettings orElse(SshSettings fallback) {
        return new SshSettings(address != null ? address : fallback.address, port != null ? port : fallback.port,
                user != null ? user : fallback.user, identity != null ? identity : fallback.identity,
                become != null ? become : fallback.become);
    }

    /** The settings a host gets from its groups: for each, the first of its groups, in its order, that sets it. */
    static SshSettings ofGroups(List<String> groups, Map<String, Project.Group> declared) {
        SshSettings settings = NONE;
        for (String group : groups) {
            if (declared.containsKey(group)) {
                settings = settings.orElse(declared.get(group).ssh());
            }
        }
        return settings;
    }

    /**
     * Reads the SSH keys of a host's or a group's mapping; {@code identity} is relative to the project directory
     * unless absolute or under {@code ~/}.
     */
    static SshSettings read(YamlReader yaml, Map<String, YamlReader.Entry> entries, String address, Path projectDirectory) {
        Integer port = entry(entries, "port").map(node -> port(yaml, node)).orElse(null);
        String user = entry(entries, "user").flatMap(node -> yaml.string(node, "a user name")).orElse(null);
        Path identity = entry(entries, "identity").flatMap(node -> yaml.string(node, "a private key file"))
                .map(file -> file.startsWith("~/") ? Path.of(System.getProperty("user.home"), file.substring(2))
                        : projectDirectory.resolve(file)).orElse(null);
        Boolean become = entry(entries, "become").map(node -> become(yaml, node)).orElse(null);
        return new SshSettings(address, port, user, identity, become);
    }

    private static Optional<Node> entry(Map<String, YamlReader.Entry> entries, String key) {
        return Optional.ofNullable(entries.get(key)).map(YamlReader.Entry::value);
    }

    private static Integer port(YamlReader yaml, Node node) {
        Object value = yaml.value(node);
        if (value instanceof Long number && number >= 1 && number <= 65535) {
            return number.intValue();
        }
        yaml.problem(node, "expected a port number from 1 to 65535, got " + YamlReader.describe(node));
        return null;
    }

    private static Boolean become(YamlReader yaml, Node node) {
        if (yaml.value(node) instanceof Boolean become) {
            return become;
        }
        yaml.problem(node, "expected true or false, got " + YamlReader.describe(node));
        return null;
    }
}

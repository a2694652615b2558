package dev.plumb.providers;

import dev.plumb.api.CommandRunner;
import dev.plumb.api.ResourceException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Chooses the providers for this host from its facts, once per run, and hands them to resources. Every
 * provider runs its commands through the same runner, so a test can see each argv.
 */
public final class Providers {

    /** How long a package transaction waits for another process to release the dpkg lock. */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(120);

    private final CommandRunner commands;
    private final Map<String, Object> facts;
    private final Duration lockTimeout;

    public Providers(CommandRunner commands, Map<String, Object> facts, Duration lockTimeout) {
        this.commands = commands;
        this.facts = Map.copyOf(facts);
        this.lockTimeout = lockTimeout;
    }

    public Providers(CommandRunner commands, Map<String, Object> facts) {
        this(commands, facts, DEFAULT_LOCK_TIMEOUT);
    }

    public CommandRunner commands() {
        return commands;
    }

    public Map<String, Object> facts() {
        return facts;
    }

    /** The package provider of this host; fails for a host no provider suits. */
    public AptProvider packages() throws ResourceException {
        AptProvider apt = new AptProvider(commands, lockTimeout);
        if (!apt.suitable(facts)) {
            throw new ResourceException("no package provider suits this host (os family '" + osFamily()
                    + "'); plumb manages packages with apt/dpkg on Debian and Ubuntu");
        }
        return apt;
    }

    /** The account provider of this host; fails for a host without the shadow utilities. */
    public ShadowProvider accounts() throws ResourceException {
        ShadowProvider shadow = new ShadowProvider(commands);
        if (!shadow.suitable(facts)) {
            throw new ResourceException("no account provider suits this host (os family '" + osFamily()
                    + "'); plumb manages users and groups with the shadow utilities (useradd, groupadd) and getent");
        }
        return shadow;
    }

    /**
     * The service provider a resource uses: the one it names in {@code override} if that suits this host,
     * otherwise the default for this host's init system.
     */
    public ServiceProvider services(String override) throws ResourceException {
        List<ServiceProvider> all = List.of(new SystemdProvider(commands), new SysvProvider(commands));
        String initSystem = String.valueOf(facts.get("init_system"));
        if (override != null) {
            ServiceProvider named = all.stream().filter(p -> p.name().equals(override)).findFirst()
                    .orElseThrow(() -> new ResourceException("there is no service provider '" + override + "'; plumb has "
                            + String.join(", ", all.stream().map(ServiceProvider::name).toList())));
            if (!named.suitable(facts)) {
                throw new ResourceException("provider " + override + " does not suit this host, whose init system is "
                        + initSystem);
            }
            return named;
        }
        return all.stream().filter(p -> p.defaultFor(facts)).findFirst()
                .orElseThrow(() -> new ResourceException("no service provider suits this host (init_system '" + initSystem
                        + "'); plumb manages services with systemd or sysv init scripts"));
    }

    String osFamily() {
        return facts.get("os") instanceof Map<?, ?> os ? String.valueOf(os.get("family")) : "unknown";
    }
}

package dev.plumb.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.RecordingRunner;
import dev.plumb.api.ResourceException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The choice of provider as a table of host facts. */
class ProvidersTest {

    private static Providers on(String initSystem) {
        Map<String, Object> facts = new HashMap<>();
        if (initSystem != null) {
            facts.put("init_system", initSystem);
        }
        return new Providers(new RecordingRunner(), facts);
    }

    @ParameterizedTest(name = "init_system {0}, provider {1} -> {2}")
    @CsvSource(nullValues = "-", value = {
            "systemd, -,       systemd",
            "sysv,    -,       sysv",
            "systemd, systemd, systemd",
            "sysv,    sysv,    sysv",
            "systemd, sysv,    sysv",
    })
    void theServiceProviderFollowsTheInitSystemUnlessOverridden(String initSystem, String override, String chosen)
            throws ResourceException {
        assertThat(on(initSystem).services(override).name()).isEqualTo(chosen);
    }

    @ParameterizedTest(name = "init_system {0}, provider {1} fails")
    @CsvSource(nullValues = "-", delimiter = '|', value = {
            "sysv    | systemd | provider systemd does not suit this host, whose init system is sysv",
            "-       | -       | no service provider suits this host (init_system 'null'); plumb manages services with systemd or sysv init scripts",
            "systemd | upstart | there is no service provider 'upstart'; plumb has systemd, sysv",
    })
    void aProviderThatDoesNotSuitTheHostIsRefused(String initSystem, String override, String message) {
        assertThatThrownBy(() -> on(initSystem).services(override)).isInstanceOf(ResourceException.class).hasMessage(message);
    }
}

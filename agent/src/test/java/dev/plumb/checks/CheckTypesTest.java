package dev.plumb.checks;

import dev.plumb.api.InvalidEntryException;
import dev.plumb.api.PreparedCheck;
import static dev.plumb.checks.CheckFixtures.problems;
import static dev.plumb.checks.CheckFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckTypesTest {

    @Test
    void everyTypeIsRegisteredWithItsAttributesInSnakeCaseThenTheCommonOnes() {
        assertThat(CheckTypes.names()).containsExactly("http", "port", "command", "file", "process", "package", "service",
                "user", "group", "dns", "certificate");
        assertThat(CheckTypes.attributes("http")).containsOnlyKeys("status", "body_contains", "body_matches", "headers",
                "method", "insecure", "follow_redirects", "host_header", "name", "retries", "interval", "timeout");
        assertThat(CheckTypes.attributes("http").get("headers")).isEqualTo(Map.class);
        assertThat(CheckTypes.attributes("command")).containsKeys("exit_code", "stdout_contains", "stdout_matches",
                "stderr_contains");
        assertThat(CheckTypes.attributes("certificate")).containsKeys("valid_for_days", "hostname", "issuer_contains");
    }

    @Test
    void commonAttributesSetNameRetriesIntervalAndTimeout() {
        PreparedCheck check = CheckTypes.prepare(spec("port", "22", "name", "ssh", "retries", 5, "interval", "500ms",
                "timeout", "2"));
        assertThat(check.id()).isEqualTo("port[22]");
        assertThat(check.name()).isEqualTo("ssh");
        assertThat(check.retries()).isEqualTo(5);
        assertThat(check.interval()).isEqualTo(Duration.ofMillis(500));
        assertThat(check.timeout()).isEqualTo(Duration.ofSeconds(2));
        PreparedCheck defaults = CheckTypes.prepare(spec("port", "22"));
        assertThat(List.of(defaults.retries(), defaults.interval(), defaults.timeout()))
                .containsExactly(0, CheckTypes.DEFAULT_INTERVAL, CheckTypes.DEFAULT_TIMEOUT);
    }

    @Test
    void durationsTakeUnits() {
        assertThat(Durations.parseOrNull("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parseOrNull("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parseOrNull("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parseOrNull("30")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parseOrNull("soon")).isNull();
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1.5 s");
        assertThat(Durations.format(Duration.ofMillis(20))).isEqualTo("20 ms");
    }

    @Test
    void badCommonAttributesAreProblems() {
        assertThat(problems("port", "22", "retries", -1, "interval", "soon", "timeout", "0s")).containsExactly(
                "retries: -1 is not a number of retries; expected 0 or more",
                "interval: 'soon' is not a duration; expected a positive number of seconds or a number with a unit, "
                        + "such as 500ms, 2s or 1m",
                "timeout: '0s' is not a duration; expected a positive number of seconds or a number with a unit, "
                        + "such as 500ms, 2s or 1m");
    }

    @Test
    void catalogEntriesOfTheWrongShapeAreProblems() {
        assertThat(problems("port", "22", "listening", "yes")).containsExactly("listening: expected boolean, got 'yes'");
        assertThat(problems("port", "22", "listen", true)).containsExactly("unknown attributes [listen] for a port check");
        assertThat(problems("ping", "host")).containsExactly("unknown check type 'ping'; known types: http, port, command, "
                + "file, process, package, service, user, group, dns, certificate");
        assertThatThrownBy(() -> CheckTypes.prepare(spec("port", "22", "timeout", "soon")))
                .isInstanceOf(InvalidEntryException.class);
    }
}

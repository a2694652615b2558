package dev.plumb.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** What plumb reads of a host's probe: a value a host forges after another cannot replace it. */
class HostSetupTest {

    @Test
    void theFirstValueOfEachKeyIsRead() throws Exception {
        HostSetup setup = HostSetup.parse("uid=1000\ndir=/home/u/.cache/plumb\njar=/home/u/.cache/plumb/a.jar\n"
                + "java=/usr/bin/java\nold=/opt/a (Java 11)\nold=/opt/b (Java 8)\nhome=/home/u\njar=/tmp/evil.jar\n"
                + "java=/tmp/evil\n");

        assertThat(setup.agentJar()).isEqualTo("/home/u/.cache/plumb/a.jar");
        assertThat(setup.java()).isEqualTo("/usr/bin/java");
        assertThat(setup.tooOld()).containsExactly("/opt/a (Java 11)", "/opt/b (Java 8)");
    }

    @Test
    void aValueWithControlCharactersIsRefused() {
        assertThatThrownBy(() -> HostSetup.parse("uid=1000\ndir=/x\nhome=/home/u\r\u001b[2J\n"))
                .isInstanceOf(HostSetup.InvalidOutputException.class)
                .hasMessage("its home holds control characters: '/home/u^M^[[2J'");
    }

    @Test
    void aScriptThatSudoDidNotRunIsSeenAsSuch() throws Exception {
        HostSetup setup = HostSetup.parse("uid=1000\n");

        assertThat(setup.ran()).isFalse();
        assertThat(setup.throughSudo()).isFalse();
    }
}

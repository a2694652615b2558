package dev.plumb.testhosts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When the tests that boot a Debian host skip, they say what this machine lacks and how to add it. */
class SystemdHostPreconditionsTest {

    @Test
    void rootWithEveryToolCanBootAHost() {
        assertThat(SystemdHost.whyUnbootable(true, command -> true)).isEmpty();
    }

    @Test
    void aMissingToolIsNamedWithThePackageThatInstallsIt() {
        assertThat(SystemdHost.whyUnbootable(true, command -> !command.equals("systemd-nspawn")))
                .contains("this machine cannot boot a Debian host with systemd as PID 1 in systemd-nspawn: "
                        + "systemd-nspawn is not installed (apt-get install systemd-container)");
    }

    @Test
    void aUserOtherThanRootIsToldThatTheTestsNeedRoot() {
        assertThat(SystemdHost.whyUnbootable(false, command -> !command.equals("debootstrap")))
                .contains("this machine cannot boot a Debian host with systemd as PID 1 in systemd-nspawn: "
                        + "the tests must run as root; debootstrap is not installed (apt-get install debootstrap)");
    }
}

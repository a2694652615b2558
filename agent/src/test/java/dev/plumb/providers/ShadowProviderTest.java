package dev.plumb.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.RecordingRunner;
import dev.plumb.api.CommandRunner;
import dev.plumb.providers.ShadowProvider.Group;
import dev.plumb.providers.ShadowProvider.Passwd;
import dev.plumb.providers.ShadowProvider.UserSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing of getent output captured on a Debian 12 host (src/test/resources/getent/), and where the provider fits. */
class ShadowProviderTest {

    @TempDir
    Path dir;

    private static String captured(String name) throws IOException {
        try (InputStream in = ShadowProviderTest.class.getResourceAsStream("/getent/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aPasswdEntryKeepsItsCommaSeparatedComment() throws Exception {
        assertThat(ShadowProvider.parsePasswd(captured("passwd-user.txt"))).isEqualTo(new Passwd("plumbtest-cap-a",
                42100, 42100, "Plumb Capture,Room 1,,", "/tmp/plumbcap/home", "/bin/bash"));
    }

    @Test
    void aPasswdEntryOfUseraddDefaultsHasAnEmptyComment() throws Exception {
        assertThat(ShadowProvider.parsePasswd(captured("passwd-defaults.txt"))).isEqualTo(new Passwd("plumbtest-cap-b",
                42101, 42102, "", "/home/plumbtest-cap-b", "/bin/sh"));
    }

    @Test
    void everyGroupOfTheHostIsReadWithItsMembers() throws Exception {
        List<Group> groups = ShadowProvider.parseGroups(captured("group-all.txt"));

        assertThat(groups).hasSize(51);
        assertThat(groups.get(0)).isEqualTo(new Group("root", 0, List.of()));
        assertThat(groups).contains(new Group("nogroup", 65534, List.of()), new Group("ssl-cert", 103, List.of("postgres")),
                new Group("plumbtest-cap-x", 42101, List.of("plumbtest-cap-a")),
                new Group("plumbtest-cap-s", 995, List.of("plumbtest-cap-a")), new Group("plumbtest-cap-b", 42102, List.of()));
    }

    @Test
    void oneGroupIsReadWithItsMembers() throws Exception {
        assertThat(ShadowProvider.parseGroup(captured("group-one.txt")))
                .isEqualTo(new Group("plumbtest-cap-x", 42101, List.of("plumbtest-cap-a")));
    }

    @Test
    void aShadowEntryGivesItsHash() throws Exception {
        assertThat(ShadowProvider.parseShadowHash(captured("shadow-user.txt"))).isEqualTo(
                "$6$plumbsalt$ipA6HiVUVZsG1JSetZkMIasshE/Hoh/2b.BVxzg/qFXtMAKsDqrv/yd5fqsDPJ2YRNYiBPmV3QDyxqIWs5YXc/");
        assertThat(ShadowProvider.parseShadowHash(captured("shadow-locked.txt"))).isEqualTo("!");
    }

    @Test
    void aMalformedEntryIsQuotedWithWhatWasExpected() {
        assertThatThrownBy(() -> ShadowProvider.parsePasswd("plumbtest-a:x:1000\n"))
                .isInstanceOf(IOException.class)
                .hasMessage("getent passwd printed 'plumbtest-a:x:1000', which does not have 7 fields separated by ':'");
        assertThatThrownBy(() -> ShadowProvider.parseGroup("staff:x:fifty:"))
                .isInstanceOf(IOException.class)
                .hasMessage("getent printed 'staff:x:fifty:', whose id 'fifty' is not a number");
    }

    @Test
    void aMalformedShadowEntryIsNotQuoted() {
        assertThatThrownBy(() -> ShadowProvider.parseShadowHash("$6$secret"))
                .isInstanceOf(IOException.class)
                .hasMessageNotContaining("secret");
    }

    @Test
    void aNameTheDatabaseDoesNotHoldIsNull() throws Exception {
        RecordingRunner runner = new RecordingRunner().exit("getent passwd plumbtest-a", 2).exit("getent group plumbtest-g", 2);
        ShadowProvider shadow = new ShadowProvider(runner);

        assertThat(shadow.user("plumbtest-a")).isNull();
        assertThat(shadow.group("plumbtest-g")).isNull();
        assertThat(runner.commands()).allSatisfy(command -> assertThat(command.env()).containsEntry("LC_ALL", "C"));
    }

    @Test
    void aFailingQueryGivesItsEvidence() {
        RecordingRunner runner = new RecordingRunner().answer("getent group", 3, "", "enumeration not supported");

        assertThatThrownBy(() -> new ShadowProvider(runner).groups())
                .isInstanceOf(IOException.class)
                .hasMessage("getent group failed with exit code 3: enumeration not supported");
    }

    @Test
    void aCommandThatCannotRunIsNamedWithoutItsArguments() {
        CommandRunner timingOut = command -> {
            throw new IOException("timed out after 60 s");
        };
        ShadowProvider shadow = new ShadowProvider(timingOut);
        UserSettings settings = new UserSettings(null, null, null, null, null, null, "$6$salt$hash");

        assertThatThrownBy(() -> shadow.user("plumbtest-a")).hasMessage("getent passwd plumbtest-a: timed out after 60 s");
        assertThatThrownBy(() -> shadow.addUser("plumbtest-a", settings, false, false))
                .isInstanceOf(IOException.class)
                .hasMessage("useradd plumbtest-a: timed out after 60 s");
    }

    @Test
    void debianHostsAreSuitableWithoutLookingForTheTools() {
        ShadowProvider withoutTools = new ShadowProvider(new RecordingRunner(), dir);

        assertThat(withoutTools.suitable(Map.of("os", Map.of("id", "debian", "family", "debian")))).isTrue();
        assertThat(withoutTools.suitable(Map.of("os", Map.of("id", "ubuntu", "family", "debian")))).isTrue();
        assertThat(withoutTools.suitable(Map.of("os", Map.of("id", "rocky", "family", "rhel")))).isFalse();
        assertThat(withoutTools.suitable(Map.of())).isFalse();
    }

    @Test
    void otherHostsAreSuitableWhenTheyHaveUseradd() throws Exception {
        Path useradd = Files.createFile(dir.resolve("useradd"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        ShadowProvider withTools = new ShadowProvider(new RecordingRunner(), useradd.getParent());

        assertThat(withTools.suitable(Map.of("os", Map.of("id", "rocky", "family", "rhel")))).isTrue();
    }
}

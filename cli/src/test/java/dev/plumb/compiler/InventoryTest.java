package dev.plumb.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.api.Diagnostic;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryTest {

    @TempDir
    Path dir;

    @Test
    void aHostTakesEachSshSettingFromItselfThenFromTheFirstOfItsGroupsThatGivesIt() throws Exception {
        new ProjectFiles(dir).role("resources: []\n").write("inventory.yaml", """
                groups:
                  web: { roles: [main], user: deploy, port: 2222, become: true }
                  eu: { identity: keys/eu, port: 2200, become: false }
                hosts:
                  web1: { address: 10.0.0.1, groups: [web, eu] }
                  web2: { address: web2.example.net, groups: [eu, web], user: ops, identity: ~/.ssh/ops }
                  plain: { address: 10.0.0.3 }
                  here: { connection: local }
                """);
        Project project = ProjectLoader.load(dir);

        assertThat(project.hosts().get("web1").ssh()).isEqualTo(
                new SshSettings("10.0.0.1", 2222, "deploy", dir.toRealPath().resolve("keys/eu"), true));
        assertThat(project.hosts().get("web2").ssh()).isEqualTo(new SshSettings("web2.example.net", 2200, "ops",
                Path.of(System.getProperty("user.home"), ".ssh/ops"), false));
        assertThat(project.hosts().get("plain").ssh()).isEqualTo(new SshSettings("10.0.0.3", null, null, null, null));
        assertThat(project.hosts().get("plain").ssh().becomesRoot()).isFalse();
        assertThat(project.hosts().get("here").ssh()).isNull();
    }

    @Test
    void badSshSettingsAreReportedWhereTheyAre() {
        new ProjectFiles(dir).role("resources: []\n").write("inventory.yaml", """
                groups:
                  web: { roles: [main], port: 70000 }
                hosts:
                  web1: { address: 10.0.0.1, become: yes please, usr: root }
                """);
        assertThatThrownBy(() -> ProjectLoader.load(dir)).isInstanceOf(CompileException.class)
                .satisfies(e -> assertThat(((CompileException) e).problems()).map(Diagnostic::toString).containsExactly(
                        "inventory.yaml:2:31: expected a port number from 1 to 65535, got the number 70000",
                        "inventory.yaml:4:50: unknown key 'usr' in host web1; expected one of connection, address, "
                                + "groups, env, vars, port, user, identity, become; did you mean 'user'?",
                        "inventory.yaml:4:38: expected true or false, got 'yes please'"));
    }
}

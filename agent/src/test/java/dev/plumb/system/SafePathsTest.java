package dev.plumb.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SafePathsTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"/", "/etc", "/etc/app.conf", "/srv/.hidden", "/srv/..data", "/srv/a.b"})
    void pathsInNormalFormPass(String path) {
        assertThat(SafePaths.problem(path)).isNull();
    }

    @ParameterizedTest
    @CsvSource({
        "/tmp/dd/sub/../../dd-escaped, '/tmp/dd/sub/../../dd-escaped' holds a '..' component; write /tmp/dd-escaped",
        "/tmp/pd/./keep, '/tmp/pd/./keep' holds a '.' component; write /tmp/pd/keep",
        "/tmp//a, '/tmp//a' holds '//'; write /tmp/a",
        "/tmp/a/, '/tmp/a/' ends with '/'; write /tmp/a",
        "/.., '/..' holds a '..' component; write /",
        "etc/motd, 'etc/motd' is not an absolute path; write it from /",
    })
    void everyOtherSpellingIsRefusedWithTheNormalForm(String path, String problem) {
        assertThat(SafePaths.problem(path)).isEqualTo(problem);
    }

    @Test
    void controlCharactersAreShownEscaped() {
        assertThat(SafePaths.problem("/tmp/a\nb\r\u001b")).isEqualTo("'/tmp/a^Jb^M^[' holds a control character; NUL, "
                + "newline and other control characters are refused");
    }
}

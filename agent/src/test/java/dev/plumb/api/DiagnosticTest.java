package dev.plumb.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DiagnosticTest {

    @Test
    void aQuotedValueCannotHideOrReorderTheMessageOnATerminal() {
        Diagnostic diagnostic = Diagnostic.at(new Location("roles/main.yaml", 2, 5),
                "unknown key 'a\u0001b\u202ec\u2028d\re\nf'");

        assertThat(diagnostic.toString()).isEqualTo("roles/main.yaml:2:5: unknown key 'a^Ab<U+202E>c<U+2028>d^Me^Jf'");
    }
}

package dev.plumb.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProblemTest {

    @Test
    void aQuotedValueCannotHideOrReorderTheMessageOnATerminal() {
        Problem problem = new Problem(new Location("roles/main.yaml", 2, 5),
                "unknown key 'a\u0001b\u202ec\u2028d\re\nf'");

        assertThat(problem.toString()).isEqualTo("roles/main.yaml:2:5: unknown key 'a^Ab<U+202E>c<U+2028>d^Me^Jf'");
    }
}

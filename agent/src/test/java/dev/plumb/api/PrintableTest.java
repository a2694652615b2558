package dev.plumb.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrintableTest {

    @Test
    void controlsAreShownInCaretNotationAndTabIsKept() {
        assertThat(Printable.escape("rm -rf /important\r# harmless\n\u001b[2J\u007f\tend"))
                .isEqualTo("rm -rf /important^M# harmless^J^[[2J^?\tend");
    }

    @Test
    void c1ControlsLineSeparatorsAndBidiOverridesAreShownAsCodePoints() {
        assertThat(Printable.escape("a\u009bb\u2028c\u2029d\u202ee\u2066f")).isEqualTo(
                "a<U+009B>b<U+2028>c<U+2029>d<U+202E>e<U+2066>f");
    }

    @Test
    void printableTextIsUnchanged() {
        assertThat(Printable.escape("/etc/nginx/sites-enabled/café.conf")).isEqualTo("/etc/nginx/sites-enabled/café.conf");
    }
}

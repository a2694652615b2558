package dev.plumb.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.error.ParserException;
import io.pebbletemplates.pebble.error.PebbleException;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The wording of the Pebble messages {@link Templates#describe} reads, since Pebble names the unknown filter,
 * function or token only in its text: a Pebble upgrade that words one differently fails here instead of
 * silently turning plumb's message back into Pebble's.
 */
class PebbleMessagesTest {

    private final PebbleEngine pebble = new PebbleEngine.Builder().strictVariables(true).build();

    private PebbleException failure(String template) {
        return catchThrowableOfType(() -> pebble.getLiteralTemplate(template).evaluate(new StringWriter(), Map.of()),
                PebbleException.class);
    }

    @Test
    void anUnknownFilterIsNamedInTheMessage() {
        assertThat(failure("{{ 'a' | upperr }}").getPebbleMessage()).isEqualTo("Filter [upperr] does not exist.");
        assertThat(Templates.describe(failure("{{ 'a' | upperr }}"), null, Map.of())).startsWith("unknown filter 'upperr'; "
                + "did you mean 'upper'?");
    }

    @Test
    void anUnknownFunctionIsNamedInTheMessage() {
        assertThat(failure("{{ rnage(1, 2) }}").getPebbleMessage()).isEqualTo("Function or Macro [rnage] does not exist.");
        assertThat(Templates.describe(failure("{{ rnage(1, 2) }}"), null, Map.of())).startsWith("unknown function 'rnage'; "
                + "did you mean 'range'?");
    }

    @Test
    void anUnexpectedTokenIsAParserExceptionNamingTheTokenAndWhatWasExpected() {
        PebbleException e = failure("{% if a = 1 %}x{% endif %}");
        assertThat(e).isInstanceOf(ParserException.class);
        assertThat(e.getPebbleMessage()).isEqualTo("Unexpected token of value \"=\" and type PUNCTUATION, expected token of "
                + "type EXECUTE_END");
        assertThat(Templates.describe(e, null, Map.of())).isEqualTo("unexpected '=' (to compare, write ==); expected the "
                + "end of the expression");
    }

    @Test
    void aNumberTooLargeForALongEscapesPebbleAsJavasOwnException() {
        assertThat(catchThrowableOfType(() -> pebble.getLiteralTemplate("{{ 99999999999999999999999 }}"),
                NumberFormatException.class)).isNotNull();
        assertThat(TemplateNames.tooLargeNumber("a 99999999999999999999999\n{{ '99999999999999999999999' }}\n"
                + "{{ 1 + 99999999999999999999998 }}")).contains(new TemplateNames.Literal("99999999999999999999998", 3));
    }
}

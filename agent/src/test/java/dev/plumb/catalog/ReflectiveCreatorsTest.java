package dev.plumb.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Records built through core reflection are built, and refused, exactly as Jackson's own way builds and refuses them. */
class ReflectiveCreatorsTest {

    /** Json.MAPPER as it would be without the module. */
    private static final JsonMapper JACKSONS_WAY = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** The classes on the stack when a Port was last built. */
    static volatile List<String> builtThrough = List.of();

    record Port(String name, int number) {
        Port {
            builtThrough = StackWalker.getInstance().walk(frames -> frames.map(StackWalker.StackFrame::getClassName).toList());
            if (number < 1 || number > 65535) {
                throw new IllegalArgumentException("port " + number + " is not between 1 and 65535");
            }
        }
    }

    record Listener(String host, List<Port> ports, boolean tls, long backlog) {
    }

    private static final String LISTENERS = """
            [{"host": "a", "ports": [{"name": "http", "number": 80}, {"name": "https", "number": 443}], "tls": true,
              "backlog": 4096},
             {"host": "b", "ports": [], "tls": false, "backlog": 0}]""";

    @Test
    void recordsOfEveryShapeAreBuiltAsJacksonBuildsThem() {
        Listener[] built = Json.MAPPER.readValue(LISTENERS, Listener[].class);
        assertThat(builtThrough).as("built through core reflection").contains(ReflectiveCreators.class.getName() + "$Instantiator");
        assertThat(built).containsExactly(JACKSONS_WAY.readValue(LISTENERS, Listener[].class));
        assertThat(built[0].ports()).containsExactly(new Port("http", 80), new Port("https", 443));
    }

    @Test
    void aConstructorThatRefusesItsArgumentsIsReportedAsJacksonReportsIt() {
        String bad = "[{\"host\": \"a\", \"ports\": [{\"name\": \"x\", \"number\": 0}], \"tls\": true, \"backlog\": 1}]";
        JacksonException ours = catchThrowableOfType(JacksonException.class, () -> Json.MAPPER.readValue(bad, Listener[].class));
        JacksonException jacksons = catchThrowableOfType(JacksonException.class, () -> JACKSONS_WAY.readValue(bad, Listener[].class));
        assertThat(ours).isNotNull().isExactlyInstanceOf(jacksons.getClass());
        assertThat(ours.getCause()).isInstanceOf(IllegalArgumentException.class).hasMessage("port 0 is not between 1 and 65535");
        assertThat(ours.getOriginalMessage()).isEqualTo(jacksons.getOriginalMessage());
        assertThat(ours.getPathReference()).isEqualTo(jacksons.getPathReference());
    }
}

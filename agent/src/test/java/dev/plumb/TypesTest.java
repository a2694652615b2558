package dev.plumb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.plumb.api.Attribute;
import dev.plumb.api.AttributeSchema;
import dev.plumb.api.Check;
import dev.plumb.api.CheckContext;
import dev.plumb.api.InvalidEntryException;
import dev.plumb.api.TypeSchema;
import dev.plumb.api.Types;
import dev.plumb.api.Verdict;
import dev.plumb.checks.CheckTypes;
import dev.plumb.resources.ResourceTypes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The one registry of resource and check types, and the schemas editors and the compiler read from it. */
class TypesTest {

    /** A type as small as a new one would start. */
    public record Probe(String name, @Attribute(doc = "how loud", defaultValue = "3") Integer volume,
                        @Attribute(doc = "which way", values = {"up", "down"}) String direction) implements Check {
        @Override
        public Verdict verify(CheckContext context, Duration timeout) {
            throw new UnsupportedOperationException();
        }
    }

    private static Types<Check> probes() {
        return new Types<>("check", Check.class, name -> name, List.of()).register("probe", Probe.class);
    }

    @Test
    void aTypeIsOneRegistrationLineAndItsSchemaComesFromItsRecord() {
        TypeSchema schema = probes().schema("probe");
        assertThat(schema.nameAttribute()).isEqualTo("name");
        assertThat(schema.attributes()).extracting(AttributeSchema::name, AttributeSchema::javaType, AttributeSchema::doc,
                AttributeSchema::defaultValue, AttributeSchema::values).containsExactly(
                        tuple("volume", Integer.class, "how loud", "3", List.of()),
                        tuple("direction", String.class, "which way", "", List.of("up", "down")));
        assertThat(probes().instantiate("probe", "p", Map.of("volume", 5))).isEqualTo(new Probe("p", 5, null));
    }

    @Test
    void badEntriesAreUserErrorsNotIllegalArguments() {
        Types<Check> types = probes();
        assertThatThrownBy(() -> types.instantiate("probe", "p", Map.of("volume", "loud")))
                .isExactlyInstanceOf(InvalidEntryException.class).hasMessage("volume: expected integer, got 'loud'");
        assertThatThrownBy(() -> types.instantiate("probe", "p", Map.of("volum", 5)))
                .isExactlyInstanceOf(InvalidEntryException.class).hasMessage("unknown attributes [volum] for a probe check");
        assertThatThrownBy(() -> types.instantiate("prob", "p", Map.of()))
                .isExactlyInstanceOf(InvalidEntryException.class).hasMessage("unknown check type 'prob'; known types: probe");
        assertThatThrownBy(() -> types.register("probe", Probe.class)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void everyAttributeOfEveryShippedTypeSaysWhatItDoes() {
        Stream.concat(ResourceTypes.REGISTRY.schemas().stream(), CheckTypes.REGISTRY.schemas().stream()).forEach(type -> {
            assertThat(type.nameDoc()).as(type.kind() + " " + type.type()).isNotBlank();
            type.attributes().forEach(attribute -> {
                assertThat(attribute.doc()).as(type.type() + " " + attribute.name()).isNotBlank();
                if (!attribute.values().isEmpty() && !attribute.defaultValue().isEmpty()) {
                    assertThat(attribute.values()).as(type.type() + " " + attribute.name()).contains(attribute.defaultValue());
                }
            });
        });
    }

    @Test
    void secretsAreNamedByTheSchema() {
        assertThat(ResourceTypes.REGISTRY.schema("user").attribute("password")).get()
                .satisfies(password -> assertThat(password.isSecretIn(Map.of())).isTrue());
        assertThat(ResourceTypes.REGISTRY.schema("file").attribute("content")).get()
                .satisfies(content -> assertThat(content.isSecretIn(Map.of())).isFalse())
                .satisfies(content -> assertThat(content.isSecretIn(Map.of("sensitive", true))).isTrue());
    }
}

package dev.plumb.checks;

import dev.plumb.api.AttributeSchema;
import dev.plumb.api.Check;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.InvalidEntryException;
import dev.plumb.api.PreparedCheck;
import dev.plumb.api.Types;
import dev.plumb.catalog.CatalogCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The registry of check types. A type is a record whose first component receives the check's target (the URL
 * of an http check, the path of a file check) and whose other components are its attributes, written in
 * project files and catalogs in snake_case ({@code bodyContains} is {@code body_contains}). Every check also
 * takes the common attributes {@code name}, {@code retries}, {@code interval} and {@code timeout}.
 */
public final class CheckTypes {

    /** The pause between attempts when {@code interval} is not given. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    /** The time limit of one attempt when {@code timeout} is not given. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** The check types that ship with plumb, one registration line each. */
    public static final Types<Check> REGISTRY = new Types<>("check", Check.class, CheckTypes::snakeCase, List.of(
            AttributeSchema.optional("name", String.class, "", "What the check is called in reports"),
            AttributeSchema.optional("retries", Integer.class, "0", "How many more times to look before the check fails"),
            AttributeSchema.optional("interval", String.class, "1s", "The pause between attempts, such as 500ms, 2s or 1m"),
            AttributeSchema.optional("timeout", String.class, "10s", "The time limit of one attempt, such as 500ms, 2s or 1m")))
            .register("http", HttpCheck.class)
            .register("port", PortCheck.class)
            .register("command", CommandCheck.class)
            .register("file", FileCheck.class)
            .register("process", ProcessCheck.class)
            .register("package", PackageCheck.class)
            .register("service", ServiceCheck.class)
            .register("user", UserCheck.class)
            .register("group", GroupCheck.class)
            .register("dns", DnsCheck.class)
            .register("certificate", CertificateCheck.class);

    private CheckTypes() {
    }

    public static Set<String> names() {
        return REGISTRY.names();
    }

    /** The attributes a project file may set on a check of {@code type}: its own, then the common ones. */
    public static Map<String, Class<?>> attributes(String type) {
        Map<String, Class<?>> attributes = new LinkedHashMap<>();
        REGISTRY.schema(type).attributes().forEach(a -> attributes.put(a.name(), a.javaType()));
        REGISTRY.common().forEach(a -> attributes.put(a.name(), a.javaType()));
        return attributes;
    }

    /** Everything wrong with a catalog check, each naming its attribute (null: the check as a whole). */
    public static List<Diagnostic> problems(CatalogCheck spec) {
        return problems(spec.type(), spec.target(), spec.attributes());
    }

    /** As {@link #problems(CatalogCheck)}, from a check's parts. */
    public static List<Diagnostic> problems(String type, String target, Map<String, Object> attributes) {
        List<Diagnostic> problems = new ArrayList<>();
        Check check;
        try {
            check = REGISTRY.instantiate(type, target, attributes);
        } catch (InvalidEntryException e) {
            problems.add(Diagnostic.ofAttribute(null, e.getMessage()));
            return problems;
        }
        if (attributes.get("retries") instanceof Integer retries && retries < 0) {
            problems.add(Diagnostic.ofAttribute("retries", retries + " is not a number of retries; expected 0 or more"));
        }
        for (String attribute : List.of("interval", "timeout")) {
            if (attributes.get(attribute) instanceof String text) {
                Duration duration = Durations.parseOrNull(text);
                if (duration == null || duration.isZero()) {
                    problems.add(Diagnostic.ofAttribute(attribute, "'" + text + "' is not a duration; expected a positive "
                            + "number of seconds or a number with a unit, such as 500ms, 2s or 1m"));
                }
            }
        }
        problems.addAll(check.validate());
        return problems;
    }

    /** The check ready to run; its {@link #problems} must be none. Throws InvalidEntryException otherwise. */
    public static PreparedCheck prepare(CatalogCheck spec) {
        return prepare(spec.type(), spec.target(), spec.attributes());
    }

    /** As {@link #prepare(CatalogCheck)}, from a check's parts. */
    public static PreparedCheck prepare(String type, String target, Map<String, Object> attributes) {
        Check check = REGISTRY.instantiate(type, target, attributes);
        return new PreparedCheck(CatalogCheck.display(type, target), (String) attributes.get("name"),
                check, attributes.get("retries") instanceof Integer retries ? retries : 0,
                duration(attributes.get("interval"), DEFAULT_INTERVAL), duration(attributes.get("timeout"), DEFAULT_TIMEOUT));
    }

    private static Duration duration(Object text, Duration fallback) {
        if (text == null) {
            return fallback;
        }
        Duration duration = Durations.parseOrNull(text.toString());
        if (duration == null || duration.isZero()) {
            throw new InvalidEntryException("'" + text + "' is not a duration");
        }
        return duration;
    }

    /** {@code bodyContains} as project files write it: {@code body_contains}. */
    static String snakeCase(String camelCase) {
        return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }
}

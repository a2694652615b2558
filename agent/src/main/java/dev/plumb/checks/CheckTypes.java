package dev.plumb.checks;

import dev.plumb.api.Check;
import dev.plumb.api.PreparedCheck;
import dev.plumb.api.Resource.AttributeProblem;
import dev.plumb.catalog.CatalogCheck;
import dev.plumb.resources.ResourceTypes;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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

    private static final Map<String, Class<?>> COMMON = new LinkedHashMap<>();
    private static final Map<String, Class<? extends Check>> TYPES = new LinkedHashMap<>();
    private static final Map<String, Constructor<? extends Check>> CONSTRUCTORS = new HashMap<>();

    static {
        COMMON.put("name", String.class);
        COMMON.put("retries", Integer.class);
        COMMON.put("interval", String.class);
        COMMON.put("timeout", String.class);
        register("http", HttpCheck.class);
        register("port", PortCheck.class);
        register("command", CommandCheck.class);
        register("file", FileCheck.class);
        register("process", ProcessCheck.class);
        register("package", PackageCheck.class);
        register("service", ServiceCheck.class);
        register("user", UserCheck.class);
        register("group", GroupCheck.class);
        register("dns", DnsCheck.class);
        register("certificate", CertificateCheck.class);
    }

    private CheckTypes() {
    }

    private static void register(String type, Class<? extends Check> recordClass) {
        if (!recordClass.isRecord() || TYPES.putIfAbsent(type, recordClass) != null) {
            throw new IllegalStateException("check type " + type + " registered twice or not a record; this is a bug in plumb");
        }
        CONSTRUCTORS.put(type, ResourceTypes.canonicalConstructor(recordClass));
    }

    public static Set<String> names() {
        return TYPES.keySet();
    }

    public static boolean isKnown(String type) {
        return TYPES.containsKey(type);
    }

    /** The attributes a project file may set on a check of {@code type}: its own, then the common ones. */
    public static Map<String, Class<?>> attributes(String type) {
        Map<String, Class<?>> attributes = new LinkedHashMap<>();
        RecordComponent[] components = TYPES.get(type).getRecordComponents();
        for (int i = 1; i < components.length; i++) {
            attributes.put(snakeCase(components[i].getName()), components[i].getType());
        }
        attributes.putAll(COMMON);
        return attributes;
    }

    /** Everything wrong with a catalog check, each naming its attribute (null: the check as a whole). */
    public static List<AttributeProblem> problems(CatalogCheck spec) {
        return problems(spec.type(), spec.target(), spec.attributes());
    }

    /** As {@link #problems(CatalogCheck)}, from a check's parts. */
    public static List<AttributeProblem> problems(String type, String target, Map<String, Object> attributes) {
        List<AttributeProblem> problems = new ArrayList<>();
        Check check;
        try {
            check = instantiate(type, target, attributes);
        } catch (IllegalArgumentException e) {
            problems.add(new AttributeProblem(null, e.getMessage()));
            return problems;
        }
        if (attributes.get("retries") instanceof Integer retries && retries < 0) {
            problems.add(new AttributeProblem("retries", retries + " is not a number of retries; expected 0 or more"));
        }
        for (String attribute : List.of("interval", "timeout")) {
            if (attributes.get(attribute) instanceof String text) {
                Duration duration = Durations.parseOrNull(text);
                if (duration == null || duration.isZero()) {
                    problems.add(new AttributeProblem(attribute, "'" + text + "' is not a duration; expected a positive "
                            + "number of seconds or a number with a unit, such as 500ms, 2s or 1m"));
                }
            }
        }
        problems.addAll(check.validate());
        return problems;
    }

    /** The check ready to run; its {@link #problems} must be none. Throws IllegalArgumentException otherwise. */
    public static PreparedCheck prepare(CatalogCheck spec) {
        return prepare(spec.type(), spec.target(), spec.attributes());
    }

    /** As {@link #prepare(CatalogCheck)}, from a check's parts. */
    public static PreparedCheck prepare(String type, String target, Map<String, Object> attributes) {
        Check check = instantiate(type, target, attributes);
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
            throw new IllegalArgumentException("'" + text + "' is not a duration");
        }
        return duration;
    }

    private static Check instantiate(String type, String target, Map<String, Object> attributes) {
        Class<? extends Check> recordClass = TYPES.get(type);
        if (recordClass == null) {
            throw new IllegalArgumentException("unknown check type '" + type + "'; known types: "
                    + String.join(", ", names()));
        }
        Set<String> unknown = new TreeSet<>(attributes.keySet());
        unknown.removeAll(COMMON.keySet());
        for (String attribute : COMMON.keySet()) {
            ResourceTypes.argument(attribute, COMMON.get(attribute), attributes.get(attribute));
        }
        RecordComponent[] components = recordClass.getRecordComponents();
        Object[] arguments = new Object[components.length];
        arguments[0] = target;
        for (int i = 1; i < components.length; i++) {
            String name = snakeCase(components[i].getName());
            unknown.remove(name);
            arguments[i] = ResourceTypes.argument(name, components[i].getType(), attributes.get(name));
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown attributes " + unknown + " for a " + type + " check");
        }
        try {
            return CONSTRUCTORS.get(type).newInstance(arguments);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + recordClass.getSimpleName() + "; this is a bug in plumb", e);
        }
    }

    /** {@code bodyContains} as project files write it: {@code body_contains}. */
    static String snakeCase(String camelCase) {
        return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }
}

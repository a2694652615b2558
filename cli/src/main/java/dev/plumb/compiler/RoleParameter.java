package dev.plumb.compiler;

import dev.plumb.api.Location;
import dev.plumb.api.Suggestions;
import dev.plumb.compiler.jinja.TemplateError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One parameter a role declares under {@code parameters:}, as Ansible's {@code argument_specs} and Puppet's data
 * types: its type, whether a host must give it, its default and the values it may take; every host's value is
 * checked when its catalog is compiled, before anything runs.
 *
 * @param defaultValue the value when the host gives none; null for none
 * @param choices      the values it may take; empty for any of its type
 */
record RoleParameter(String role, String name, Type type, boolean required, Object defaultValue, List<Object> choices,
                     Location location) {

    /** Ansible's type names, with what each accepts. */
    enum Type {
        STR, INT, FLOAT, BOOL, LIST, DICT, PATH, RAW;

        static final List<String> NAMES = List.of("str", "int", "float", "bool", "list", "dict", "path", "raw");

        String yamlName() {
            return name().toLowerCase();
        }

        boolean accepts(Object value) {
            return switch (this) {
                case STR, PATH -> value instanceof String;
                case INT -> value instanceof Long || value instanceof Integer;
                case FLOAT -> value instanceof Number;
                case BOOL -> value instanceof Boolean;
                case LIST -> value instanceof List;
                case DICT -> value instanceof Map;
                case RAW -> true;
            };
        }
    }

    static final List<String> KEYS = List.of("type", "required", "default", "choices", "description");

    /** The parameters of a role file's {@code parameters:} mapping; every problem in it reported. */
    static List<RoleParameter> read(String role, YamlReader yaml, YamlReader.Entry parameters) {
        List<RoleParameter> read = new ArrayList<>();
        if (parameters == null) {
            return read;
        }
        yaml.mapping(parameters.value(), "a mapping of parameter names to their type, required, default and choices")
                .forEach((name, entry) -> {
                    Map<String, YamlReader.Entry> spec = yaml.mapping(entry.value(), "type, required, default and choices");
                    yaml.onlyKeys(spec, KEYS, "parameter " + name);
                    Type type = Type.RAW;
                    if (spec.containsKey("type")) {
                        String typeName = yaml.string(spec.get("type").value(), "a type").orElse("raw");
                        if (Type.NAMES.contains(typeName)) {
                            type = Type.valueOf(typeName.toUpperCase());
                        } else {
                            yaml.problem(spec.get("type").value(), "type '" + typeName + "' is not one of "
                                    + String.join(", ", Type.NAMES) + Suggestions.didYouMean(typeName, Type.NAMES));
                        }
                    }
                    boolean required = spec.containsKey("required") && Boolean.TRUE.equals(yaml.value(spec.get("required").value()));
                    Object defaultValue = spec.containsKey("default") ? yaml.value(spec.get("default").value()) : null;
                    List<Object> choices = spec.containsKey("choices")
                            ? yaml.sequence(spec.get("choices").value(), "a list of the values it may take").stream()
                                    .map(yaml::value).toList() : List.of();
                    if (required && defaultValue != null) {
                        yaml.problem(spec.get("default").value(), "parameter " + name + " is required and has a default; "
                                + "a host always has a value then: drop one of them");
                    }
                    RoleParameter parameter = new RoleParameter(role, name, type, required, defaultValue, choices,
                            yaml.at(entry.key()));
                    // A computed default ("{{ ... }}") has a value only per host, where check() judges it.
                    if (!(defaultValue instanceof Variables.Deferred)) {
                        parameter.problem(defaultValue).ifPresent(problem -> yaml.problem(spec.get("default").value(),
                                "the default of parameter " + name + " " + problem));
                    }
                    read.add(parameter);
                });
        return read;
    }

    /** The defaults of {@code parameters}, as a role's own variables. */
    static Map<String, Object> defaults(List<RoleParameter> parameters) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        parameters.stream().filter(p -> p.defaultValue() != null).forEach(p -> defaults.put(p.name(), p.defaultValue()));
        return defaults;
    }

    /** Checks the value {@code host} gives this parameter in its {@code scope}; a problem at the declaration if wrong. */
    void check(String host, Map<String, Object> scope, Problems problems) {
        Object value;
        try {
            value = scope.get(name);
        } catch (TemplateError e) {
            return; // Reported where the variable is used, with its own location.
        }
        if (value == null) {
            if (required) {
                problems.add(location, "parameter " + name + " of role " + role + " is required, and host " + host
                        + " gives it no value; set it in the host's or a group's vars, or with --var " + name + "=...");
            }
            return;
        }
        problem(value).ifPresent(problem -> problems.add(location, "parameter " + name + " of role " + role
                + " on host " + host + " " + problem));
    }

    /** What is wrong with {@code value} for this parameter: its type, or a value not among its choices. */
    private Optional<String> problem(Object value) {
        if (value == null) {
            return Optional.empty();
        }
        if (!type.accepts(value)) {
            return Optional.of("must be " + article(type) + " " + type.yamlName() + ", got " + describe(value));
        }
        if (!choices.isEmpty() && choices.stream().noneMatch(choice -> String.valueOf(choice).equals(String.valueOf(value)))) {
            return Optional.of("is " + describe(value) + ", not one of " + choices
                    + Suggestions.didYouMean(String.valueOf(value), choices.stream().map(String::valueOf).toList()));
        }
        return Optional.empty();
    }

    private static String article(Type type) {
        return type == Type.INT ? "an" : "a";
    }

    private static String describe(Object value) {
        String kind = value instanceof String ? "the text" : value instanceof Boolean ? "the boolean"
                : value instanceof Number ? "the number" : value instanceof List ? "a list" : value instanceof Map ? "a mapping"
                : "the value";
        String shown = String.valueOf(value);
        return kind + " '" + (shown.length() > 60 ? shown.substring(0, 60) + "…" : shown) + "'";
    }
}

package dev.plumb.compiler;

import dev.plumb.api.Attribute;
import dev.plumb.api.AttributeSchema;
import dev.plumb.api.TypeSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON Schema (draft-07, which the YAML language server behind most editors supports best) of a project's
 * files, made from the same type schemas the compiler validates with: editors use it to complete keys, show
 * each attribute's description and mark a misspelt key as it is typed. One document serves every file kind;
 * {@link #of(FileKind)} roots it at one kind for tools that map a schema to each file.
 */
public final class ProjectSchema {

    /** The files of a project a schema can describe. */
    public enum FileKind {
        /** plumb.yaml */
        PROJECT,
        /** inventory.yaml */
        INVENTORY,
        /** roles/*.yaml */
        ROLE
    }

    /** A string that holds a Jinja2 expression or tag, which may render to anything the attribute takes. */
    private static final String TEMPLATE = "\\{[{%]";

    /** The keys that order and expand entries, the same for every type. */
    private static final Map<String, Object> KEYS = Map.of(
            "requires", described(ref("ids"), "Resources to converge before this one"),
            "notify", described(ref("ids"), "Resources to refresh (restart a service, run an exec) when this one changes; "
                    + "'reload service:NAME' or 'restart service:NAME' asks a service for one of them"),
            "when", described(Map.of("type", List.of("boolean", "string")),
                    "Only when this holds: true, false or an expression such as \"facts.os.id == 'debian'\""),
            "for_each", described(Map.of("type", List.of("array", "object", "string")),
                    "One entry per element of a list or mapping (or a variable holding one), as item, key and value"));

    private ProjectSchema() {
    }

    /** The schema of every project file: a file is valid when it is a valid plumb.yaml, inventory.yaml or role. */
    public static Map<String, Object> ofAnyFile() {
        Map<String, Object> schema = header("plumb project file (plumb.yaml, inventory.yaml or roles/*.yaml)");
        schema.put("anyOf", List.of(ref("project"), ref("inventory"), ref("role")));
        schema.put("definitions", definitions());
        return schema;
    }

    /** The schema of one kind of project file. */
    public static Map<String, Object> of(FileKind kind) {
        Map<String, Object> schema = header(switch (kind) {
            case PROJECT -> "plumb project: plumb.yaml";
            case INVENTORY -> "plumb inventory: inventory.yaml";
            case ROLE -> "plumb role: roles/*.yaml";
        });
        // allOf rather than a bare $ref: draft-07 ignores the siblings of a $ref, and definitions is one.
        schema.put("allOf", List.of(ref(kind.name().toLowerCase())));
        schema.put("definitions", definitions());
        return schema;
    }

    private static Map<String, Object> header(String title) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("$schema", "http://json-schema.org/draft-07/schema#");
        schema.put("title", title);
        return schema;
    }

    private static Map<String, Object> definitions() {
        Map<String, Object> definitions = new LinkedHashMap<>();
        definitions.put("project", object("plumb.yaml: the project's name and its environments", Map.of(
                "name", described(Map.of("type", "string"), "The project's name, shown by plumb validate"),
                "environments", described(Map.of("type", "array", "items",
                                Map.of("anyOf", List.of(Map.of("type", "string"), ref("environment")))),
                        "The environments in promotion order, such as dev then prod"),
                "facts", described(Map.of("type", "object", "propertyNames", Map.of("pattern", "^[a-z_][a-z0-9_]*$"),
                        "additionalProperties", object("A fact: a command run on the host and what to take from its output",
                                Map.of("command", described(Map.of("type", "string"),
                                                "A shell command run as root on the host, at most 5 s, as ssh -V"),
                                        "pattern", described(Map.of("type", "string"), "A regular expression searched "
                                                + "for in the output (stdout, then stderr): the fact is its first group, "
                                                + "as OpenSSH_([0-9.]+); without it the whole output")),
                                List.of("command"))),
                        "Facts of the project's own, gathered on every host before its catalog is compiled: "
                                + "facts.NAME")), List.of()));
        definitions.put("environment", object("An environment and the variables it gives its hosts", Map.of(
                "name", described(Map.of("type", "string"), "The environment's name, which hosts give as env"),
                "vars", ref("vars")), List.of("name")));
        definitions.put("inventory", object("inventory.yaml: the hosts and the groups that give them roles", Map.of(
                "groups", described(Map.of("type", "object", "additionalProperties", ref("group")),
                        "Groups by name: the roles and variables their hosts get"),
                "hosts", described(Map.of("type", "object", "additionalProperties", ref("host")),
                        "Hosts by name")), List.of()));
        definitions.put("group", object("A group of hosts", withSshSettings(Map.of(
                "roles", described(ref("names"), "The roles of the group's hosts, in order: roles/NAME.yaml"),
                "vars", ref("vars"))), List.of()));
        definitions.put("host", object("A host: this machine (connection: local) or one reached over SSH", withSshSettings(Map.of(
                "connection", described(Map.of("enum", List.of("local", "ssh")),
                        "local for this machine; ssh (the default) for a host reached at its address"),
                "address", described(Map.of("type", "string"),
                        "The host name, IP address or ~/.ssh/config alias to reach an ssh host at"),
                "groups", described(ref("names"), "The groups the host is in"),
                "env", described(Map.of("type", "string"), "The environment of plumb.yaml the host is in"),
                "vars", ref("vars"))), List.of()));
        definitions.put("role", object("roles/NAME.yaml: variables, resources and checks", Map.of(
                "vars", ref("vars"),
                "parameters", described(Map.of("type", "object", "additionalProperties", object(
                        "A parameter: its type, whether a host must give it, its default, the values it may take",
                        Map.of("type", described(Map.of("enum", RoleParameter.Type.NAMES), "Ansible's type names"),
                                "required", described(Map.of("type", "boolean"), "Every host must give it a value"),
                                "default", described(Map.of(), "Its value when a host gives none"),
                                "choices", described(Map.of("type", "array"), "The values it may take"),
                                "description", described(Map.of("type", "string"), "What it is for")), List.of())),
                        "The role's typed parameters, checked for every host when its catalog is compiled"),
                "include_roles", described(Map.of("type", "array", "items", Map.of("anyOf", List.of(Map.of("type", "string"),
                                object("A role to include, with variables of its own", Map.of(
                                        "role", described(Map.of("type", "string"), "The role's name: roles/NAME.yaml"),
                                        "vars", ref("vars")), List.of("role"))))),
                        "Roles compiled before this one's resources, each with variables of its own"),
                "vars_files", described(Map.of("type", "array", "items", Map.of("type", "string")),
                        "Files under vars/, which may use templates; the first that exists gives variables above vars"),
                "resources", described(Map.of("type", "array", "items", ref("resource")),
                        "The resources to converge, each as '- TYPE: NAME' followed by its attributes"),
                "checks", described(Map.of("type", "array", "items", ref("check")),
                        "The checks to run after converging, each as '- TYPE: TARGET'")), List.of()));
        definitions.put("vars", described(Map.of("type", List.of("object", "null")), "Variables templates and when: see, by name"));
        definitions.put("names", Map.of("anyOf", List.of(Map.of("type", "string"),
                Map.of("type", "array", "items", Map.of("type", "string")))));
        definitions.put("resource", Map.of("oneOf", withBlock("resource", entries(ResourceCompiler.KIND, "resource.", definitions))));
        definitions.put("check", Map.of("oneOf", withBlock("check", entries(CheckCompiler.KIND, "check.", definitions))));
        definitions.put("ids", described(definitions.get("names"), "Resource ids such as file:/etc/motd, one or a list"));
        return definitions;
    }

    /** {@code properties} and the SSH settings a host or a group may give, as {@link SshSettings} reads them. */
    private static Map<String, Object> withSshSettings(Map<String, Object> properties) {
        Map<String, Object> all = new LinkedHashMap<>(properties);
        all.put("port", described(Map.of("type", "integer", "minimum", 1, "maximum", 65535),
                "The SSH port (default: ~/.ssh/config's, else 22)"));
        all.put("user", described(Map.of("type", "string"), "The SSH user (default: ~/.ssh/config's, else yours)"));
        all.put("identity", described(Map.of("type", "string"),
                "A private key file, relative to the project or under ~/, tried before ~/.ssh/config's and the ssh-agent's"));
        all.put("become", described(Map.of("type", "boolean"), "Run the agent as root through sudo -n"));
        return all;
    }

    /** The entries of a kind, and a block of them that share a {@code when}. */
    private static List<Object> withBlock(String kind, List<Object> entries) {
        List<Object> all = new ArrayList<>(entries);
        all.add(object("A block of " + kind + "s that share a when, as Ansible's block", Map.of(
                EntryCompiler.BLOCK, described(Map.of("type", "array", "items", ref(kind)), "The " + kind + "s of the block"),
                "when", KEYS.get("when")), List.of(EntryCompiler.BLOCK)));
        return all;
    }

    /** One definition per type of a kind, added to {@code definitions}; the references to them, for oneOf. */
    private static List<Object> entries(EntryCompiler.Kind kind, String prefix, Map<String, Object> definitions) {
        List<Object> references = new ArrayList<>();
        for (TypeSchema type : kind.types().schemas()) {
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put(type.type(), described(scalar(String.class), type.nameDoc().isEmpty()
                    ? "The " + type.nameAttribute() + " of the " + type.type() + " " + type.kind() : type.nameDoc()));
            for (AttributeSchema attribute : EntryCompiler.projectAttributes(kind, type.type())) {
                properties.put(attribute.name(), attribute(attribute));
            }
            kind.keys().forEach(key -> properties.put(key, KEYS.get(key)));
            List<String> required = new ArrayList<>(List.of(type.type()));
            type.attributes().stream().filter(AttributeSchema::required).map(AttributeSchema::name).forEach(required::add);
            String name = prefix + type.type();
            definitions.put(name, object("A " + type.type() + " " + type.kind(), properties, required));
            references.add(ref(name));
        }
        return references;
    }

    private static Map<String, Object> attribute(AttributeSchema attribute) {
        Map<String, Object> schema;
        if (!attribute.values().isEmpty()) {
            schema = Map.of("anyOf", List.of(Map.of("enum", attribute.values()), template()));
        } else if (attribute.form() == Attribute.Form.FILE_MODE) {
            schema = Map.of("type", "string");
        } else {
            schema = scalar(attribute.javaType());
        }
        String doc = attribute.doc();
        if (!attribute.defaultValue().isEmpty() && !doc.contains("default")) {
            doc += " (default: " + attribute.defaultValue() + ")";
        }
        if (!attribute.defaultValue().isEmpty()) {
            schema = new LinkedHashMap<>(schema);
            schema.put("default", typed(attribute.defaultValue(), attribute.javaType()));
        }
        return doc.isBlank() ? schema : described(schema, doc.strip());
    }

    /** A default as the YAML value that gives it: 200 and true, not "200" and "true". */
    private static Object typed(String value, Class<?> javaType) {
        if (javaType == boolean.class || javaType == Boolean.class) {
            return Boolean.parseBoolean(value);
        }
        return javaType == Integer.class || javaType == int.class ? Integer.parseInt(value) : value;
    }

    /** What a value of a Java type may be written as in YAML: any string may also be a template that renders to it. */
    private static Map<String, Object> scalar(Class<?> javaType) {
        if (javaType == boolean.class || javaType == Boolean.class) {
            return Map.of("type", List.of("boolean", "string"), "pattern", "^([Tt]rue|[Ff]alse|TRUE|FALSE)$|" + TEMPLATE);
        }
        if (javaType == Integer.class || javaType == int.class) {
            return Map.of("type", List.of("integer", "string"), "pattern", "^-?[0-9]{1,9}$|" + TEMPLATE);
        }
        if (javaType == List.class) {
            return Map.of("type", "array", "items", Map.of("type", List.of("string", "number", "boolean")));
        }
        if (javaType == Map.class) {
            return Map.of("type", "object", "additionalProperties", Map.of("type", List.of("string", "number", "boolean")));
        }
        return Map.of("type", List.of("string", "number", "boolean"));
    }

    private static Map<String, Object> template() {
        return Map.of("type", "string", "pattern", TEMPLATE);
    }

    private static Map<String, Object> object(String description, Map<String, Object> properties, List<String> required) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("description", description);
        schema.put("properties", properties);
        if (!required.isEmpty()) {
            schema.put("required", required);
        }
        schema.put("additionalProperties", false);
        return schema;
    }

    private static Map<String, Object> described(Object schema, String description) {
        @SuppressWarnings("unchecked")
        Map<String, Object> described = new LinkedHashMap<>((Map<String, Object>) schema);
        described.put("description", description);
        return described;
    }

    private static Map<String, Object> ref(String definition) {
        return Map.of("$ref", "#/definitions/" + definition);
    }
}

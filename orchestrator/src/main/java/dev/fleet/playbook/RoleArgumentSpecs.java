package dev.fleet.playbook;

import static dev.fleet.playbook.YamlReads.mapping;
import static dev.fleet.playbook.YamlReads.optionalString;

import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.YamlLoader;
import dev.fleet.yaml.YamlNode;
import dev.fleet.yaml.YamlNode.Mapping;
import dev.fleet.yaml.YamlNode.Scalar;
import dev.fleet.yaml.YamlNode.Sequence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A role's {@code meta/argument_specs.yml} (or {@code argument_specs} in {@code meta/main.yml}): as Ansible does,
 * a role whose entry point has a spec starts with a {@code validate_argument_spec} task, tagged {@code always},
 * that checks the variables the role sees and its parameters against the entry point's {@code options} when it
 * runs. The spec's option keys and types are checked here.
 */
final class RoleArgumentSpecs {
    private RoleArgumentSpecs() {}

    static final Set<String> TYPES = Set.of("str", "int", "bool", "float", "list", "dict", "path", "raw", "bytes",
            "bits", "json", "jsonarg");
    private static final Set<String> OPTION_KEYS = Set.of("type", "required", "choices", "default", "description",
            "elements", "version_added", "version_added_collection", "aliases", "options", "no_log",
            "apply_defaults", "removed_in", "removed_at_date", "removed_from_collection", "deprecated_aliases",
            "mutually_exclusive", "required_together", "required_one_of", "required_if", "required_by");

    /**
     * The validation task for the entry point ({@code tasks_from}, else main), or null when it has no spec.
     *
     * @param params the parameters this use of the role was given ({@code - role: web} with {@code port: 80})
     */
    static Task validationTask(Path dir, Mapping meta, String tasksFrom, Keywords inherited, RoleRef ref,
            Map<String, Object> params) throws ParseException {
        YamlNode specs = null;
        for (String name : List.of("argument_specs.yml", "argument_specs.yaml")) {
            Path f = dir.resolve("meta").resolve(name);
            if (Files.isRegularFile(f)) {
                YamlNode root = YamlLoader.load(f);
                if (root instanceof Mapping m) specs = m.get("argument_specs");
                break;
            }
        }
        if (specs == null && meta != null) specs = meta.get("argument_specs");
        if (specs == null || (specs instanceof Scalar sc && sc.isNull())) return null;
        Mapping all = mapping(specs, "argument specs: entry points (main, ...) to their options");
        String entry = tasksFrom == null ? "main" : tasksFrom.replaceFirst("\\.(ya?ml|json)$", "");
        YamlNode node = all.get(entry);
        if (node == null) return null;
        Mapping spec = mapping(node, "the argument spec of entry point '" + entry + "'");
        Map<String, Object> options = new LinkedHashMap<>();
        YamlNode opts = spec.get("options");
        if (opts != null && !(opts instanceof Scalar sc && sc.isNull())) {
            Mapping om = mapping(opts, "options: argument names to their spec");
            for (var e : om.entries().entrySet()) {
                Mapping o = mapping(e.getValue(), "the spec of argument '" + e.getKey() + "'");
                check(o);
                options.put(e.getKey(), o.toPlain());
            }
        }
        String shortDescription = optionalString(spec, "short_description");
        String name = "Validating arguments against arg spec '" + entry + "'"
                + (shortDescription == null ? "" : " - " + shortDescription);
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("argument_spec", options);
        args.put("provided_arguments", params);
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("type", "role");
        context.put("name", ref.name());
        context.put("argument_spec_name", entry);
        context.put("path", dir.toString());
        args.put("validate_args_context", context);
        Keywords always = Keywords.builder().tags(Set.of("always")).build().inheriting(inherited);
        return new Task(name, "validate_argument_spec", args, always, node.position(), ref);
    }

    private static void check(Mapping option) throws ParseException {
        for (String key : option.entries().keySet()) {
            if (!OPTION_KEYS.contains(key)) {
                throw new ParseException(option.keyPosition(key), "unknown argument spec key '" + key
                        + "'; expected one of " + new TreeSet<>(OPTION_KEYS));
            }
        }
        String type = optionalString(option, "type");
        if (type != null && !TYPES.contains(type)) {
            throw new ParseException(option.get("type").position(), "argument spec type '" + type
                    + "' is not supported; expected one of " + new TreeSet<>(TYPES));
        }
        YamlNode choices = option.get("choices");
        if (choices != null && !(choices instanceof Sequence)) {
            throw new ParseException(choices.position(), "'choices' must be a list");
        }
    }
}

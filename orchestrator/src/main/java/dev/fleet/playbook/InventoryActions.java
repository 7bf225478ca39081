package dev.fleet.playbook;

import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.SourcePosition;
import dev.fleet.yaml.YamlNode;
import dev.fleet.yaml.YamlNode.Mapping;
import dev.fleet.yaml.YamlNode.Scalar;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code add_host} and {@code group_by}: actions on the run's inventory that the engine carries out itself. Their
 * arguments are read here (mapping or {@code key=value} text) so a wrong one is a parse error.
 */
public final class InventoryActions {
    private InventoryActions() {}

    /** The canonical action for a task key, or null when the key is not one of them. */
    public static String canonical(String key) {
        String k = key.startsWith("ansible.builtin.") ? key.substring("ansible.builtin.".length())
                : key.startsWith("ansible.legacy.") ? key.substring("ansible.legacy.".length()) : key;
        return k.equals("add_host") || k.equals("group_by") ? k : null;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> args(String action, YamlNode raw, SourcePosition at) throws ParseException {
        Map<String, Object> args = new LinkedHashMap<>();
        if (raw instanceof Mapping m) {
            args.putAll((Map<String, Object>) m.toPlain());
        } else if (raw instanceof Scalar sc && sc.value() != null) {
            args.putAll(KeyValues.parse(String.valueOf(sc.value()), at));
        } else {
            throw new ParseException(at, "'" + action + "' takes a mapping or key=value arguments");
        }
        if (action.equals("add_host")) {
            if (!args.containsKey("name") && !args.containsKey("host") && !args.containsKey("hostname")) {
                throw new ParseException(at, "add_host needs the host's 'name' (or 'host', 'hostname')");
            }
        } else {
            if (!args.containsKey("key")) throw new ParseException(at, "group_by needs 'key', the group's name");
            for (String a : args.keySet()) {
                if (!a.equals("key") && !a.equals("parents")) {
                    throw new ParseException(at, "group_by has no argument '" + a + "'; expected key or parents");
                }
            }
        }
        return args;
    }
}

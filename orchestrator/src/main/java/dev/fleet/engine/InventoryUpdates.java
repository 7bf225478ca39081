package dev.fleet.engine;

import dev.fleet.result.TaskOutcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code add_host} and {@code group_by} on the run's inventory: later plays select from it, and {@code groups},
 * {@code group_names} and {@code hostvars} show it. Results are shaped as Ansible registers them.
 */
final class InventoryUpdates {
    private InventoryUpdates() {}

    static TaskOutcome run(String action, String host, Map<String, Object> args, RunInventory inventory) {
        // recorded and applied in one step, so the record's order is the order the changes were made in
        synchronized (inventory) {
            inventory.record(action, host, args);
            return action.equals("add_host") ? addHost(args, inventory) : groupBy(host, args, inventory);
        }
    }

    private static TaskOutcome addHost(Map<String, Object> args, RunInventory inventory) {
        Map<String, Object> vars = new LinkedHashMap<>(args);
        String name = String.valueOf(first(vars, "name", "host", "hostname"));
        List<String> groups = names(first(vars, "groups", "group", "groupname"));
        // a name:port gives ansible_port, as in Ansible
        int colon = name.lastIndexOf(':');
        if (colon > 0 && name.indexOf(':') == colon && name.substring(colon + 1).matches("\\d+")) {
            vars.putIfAbsent("ansible_port", Integer.parseInt(name.substring(colon + 1)));
            name = name.substring(0, colon);
        }
        String host = name;
        inventory.update(inv -> inv.withHostInGroups(host, vars, groups, List.of()));
        Map<String, Object> added = new LinkedHashMap<>();
        added.put("host_name", host);
        added.put("groups", groups);
        added.put("host_vars", vars);
        return TaskOutcome.changed("").withData(Map.of("add_host", added));
    }

    private static TaskOutcome groupBy(String host, Map<String, Object> args, RunInventory inventory) {
        // Ansible makes the key a valid group name: anything else than letters, digits and _ becomes _
        String group = String.valueOf(args.get("key")).replaceAll("[^A-Za-z0-9_]", "_");
        List<String> parents = args.containsKey("parents") ? names(args.get("parents")) : List.of("all");
        inventory.update(inv -> inv.withHostInGroups(host, Map.of(), List.of(group), parents));
        return TaskOutcome.changed("").withData(Map.of("add_group", group, "parent_groups", parents));
    }

    /** The value of the first of {@code keys} present, removed from {@code args} with its aliases. */
    private static Object first(Map<String, Object> args, String... keys) {
        Object found = null;
        for (String k : keys) {
            Object v = args.remove(k);
            if (found == null && v != null) found = v;
        }
        return found;
    }

    /** A group list: a list, or a comma-separated string. */
    private static List<String> names(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            l.forEach(x -> out.add(String.valueOf(x).strip()));
        } else if (v != null) {
            for (String s : String.valueOf(v).split(",")) if (!s.isBlank()) out.add(s.strip());
        }
        return out;
    }
}

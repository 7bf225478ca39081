package dev.fleet.inventory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Renderings of an inventory that match {@code ansible-inventory --graph} and {@code --list}. */
public final class InventoryViews {
    private InventoryViews() {}

    /**
     * The {@code ansible-inventory --graph} tree from {@code all}: child groups first, then the group's direct
     * hosts, both sorted by name; {@code all} lists no hosts of its own. Ends with a newline.
     */
    public static String graph(Inventory inv) {
        StringBuilder sb = new StringBuilder();
        graph(inv, InventoryBuilder.ALL, 0, sb);
        return sb.toString();
    }

    private static void graph(Inventory inv, String group, int depth, StringBuilder sb) {
        Group g = inv.groups().get(group);
        line(sb, "@" + group + ":", depth);
        for (String child : sortedCopy(g.children())) graph(inv, child, depth + 1, sb);
        if (!group.equals(InventoryBuilder.ALL)) {
            for (String host : sortedCopy(g.hosts())) line(sb, host, depth + 1);
        }
    }

    private static void line(StringBuilder sb, String name, int depth) {
        if (depth > 0) sb.append("  |".repeat(depth)).append("--");
        sb.append(name).append('\n');
    }

    /**
     * The {@code ansible-inventory --list} structure: {@code _meta.hostvars} (merged variables without magic
     * variables, hosts with no variables left out), and per group its direct {@code hosts} (inventory order) and
     * sorted {@code children}, empty keys and empty groups left out as Ansible does. Map keys are sorted like
     * Ansible's JSON output, so serialising in iteration order reproduces it.
     */
    public static Map<String, Object> list(Inventory inv) {
        Map<String, Object> out = new TreeMap<>();
        addGroup(inv, InventoryBuilder.ALL, out, new HashSet<>());
        Map<String, Object> hostvars = new TreeMap<>();
        for (Host h : inv.hosts()) {
            Map<String, Object> vars = inv.mergedVars(h.name());
            if (!vars.isEmpty()) hostvars.put(h.name(), Vars.sorted(vars));
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("hostvars", new LinkedHashMap<>(hostvars));
        out.put("_meta", meta);
        return new LinkedHashMap<>(out);
    }

    private static void addGroup(Inventory inv, String name, Map<String, Object> out, Set<String> seen) {
        if (!seen.add(name)) return;
        Group g = inv.groups().get(name);
        Map<String, Object> entry = new LinkedHashMap<>();
        if (!name.equals(InventoryBuilder.ALL) && !g.hosts().isEmpty()) entry.put("hosts", new ArrayList<>(g.hosts()));
        List<String> children = sortedCopy(g.children());
        if (!children.isEmpty()) entry.put("children", children);
        if (!entry.isEmpty()) out.put(name, entry);
        for (String c : children) addGroup(inv, c, out, seen);
    }

    private static List<String> sortedCopy(List<String> names) {
        List<String> out = new ArrayList<>(names);
        out.sort(null);
        return out;
    }
}

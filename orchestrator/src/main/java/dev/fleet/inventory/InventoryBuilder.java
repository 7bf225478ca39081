package dev.fleet.inventory;

import dev.fleet.vault.Vault;
import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.SourcePosition;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects what the INI and YAML parsers find (possibly from several files of a directory inventory) and turns
 * it into an immutable {@link Inventory}: adds the implicit {@code all}/{@code ungrouped} structure, rejects
 * cycles, reads {@code group_vars/}/{@code host_vars/} and merges variables in Ansible's precedence order.
 */
final class InventoryBuilder {
    static final String ALL = "all";
    static final String UNGROUPED = "ungrouped";

    static final class GroupData {
        final String name;
        final SourcePosition position;
        final Set<String> hosts = new LinkedHashSet<>();
        final Map<String, SourcePosition> children = new LinkedHashMap<>();
        final Map<String, Object> vars = new LinkedHashMap<>();
        final Map<String, SourcePosition> varPositions = new HashMap<>();

        GroupData(String name, SourcePosition position) {
            this.name = name;
            this.position = position;
        }
    }

    static final class HostData {
        final String name;
        final SourcePosition position;
        final Map<String, Object> vars = new LinkedHashMap<>();

        HostData(String name, SourcePosition position) {
            this.name = name;
            this.position = position;
        }
    }

    private final String source;
    /** Secrets for vaulted group_vars/host_vars files and !vault values. */
    final Vault vault;
    private final Map<String, GroupData> groups = new LinkedHashMap<>();
    private final Map<String, HostData> hosts = new LinkedHashMap<>();

    InventoryBuilder(String source, Vault vault) {
        this.source = source;
        this.vault = vault;
        SourcePosition none = SourcePosition.of(source);
        group(ALL, none);
        group(UNGROUPED, none);
        groups.get(ALL).children.put(UNGROUPED, none);
    }

    /** The groups collected so far, by name (mutable: for the constructed plugin, which reads and adds). */
    Map<String, GroupData> groupData() {
        return groups;
    }

    /** The hosts collected so far, by name, in order of first appearance. */
    Map<String, HostData> hostData() {
        return hosts;
    }

    boolean hasGroup(String name) {
        return groups.containsKey(name);
    }

    GroupData group(String name, SourcePosition pos) {
        return groups.computeIfAbsent(name, n -> new GroupData(n, pos));
    }

    void addHost(String group, String host, Map<String, Object> vars, SourcePosition pos) {
        HostData h = hosts.computeIfAbsent(host, n -> new HostData(n, pos));
        h.vars.putAll(vars); // a host listed twice: later inline vars win, as in Ansible
        group(group, pos).hosts.add(host);
    }

    /** Variables for a host already added (an inventory script's hostvars); later values win. */
    void addHostVars(String host, Map<String, Object> vars) {
        hosts.get(host).vars.putAll(vars);
    }

    void addChild(String parent, String child, SourcePosition pos) throws ParseException {
        if (child.equals(ALL)) {
            throw new ParseException(pos, "group 'all' cannot be a child of group '" + parent
                    + "': 'all' already contains every group");
        }
        group(child, pos);
        group(parent, pos).children.putIfAbsent(child, pos);
    }

    void setGroupVar(String group, String key, Object value, SourcePosition pos) {
        GroupData g = group(group, pos);
        g.vars.put(key, value);
        g.varPositions.put(key, pos);
    }

    /**
     * @param varsBase directory holding {@code group_vars/} and {@code host_vars/}, or null to read none
     */
    Inventory build(Path varsBase) throws ParseException {
        return build(varsBase == null ? List.of() : List.of(varsBase));
    }

    /**
     * @param varsBases directories holding {@code group_vars/} and {@code host_vars/}, one per inventory source in
     *     source order; for the same entity, a later source's files win (Ansible combines per source)
     */
    Inventory build(List<Path> varsBases) throws ParseException {
        rejectCycles();
        Map<String, List<String>> parents = new HashMap<>();
        for (GroupData g : groups.values()) {
            for (String c : g.children.keySet()) parents.computeIfAbsent(c, k -> new ArrayList<>()).add(g.name);
        }
        // Ansible makes every group without a parent a child of 'all'.
        GroupData all = groups.get(ALL);
        for (GroupData g : groups.values()) {
            if (!g.name.equals(ALL) && !parents.containsKey(g.name)) {
                all.children.put(g.name, g.position);
                parents.computeIfAbsent(g.name, k -> new ArrayList<>()).add(ALL);
            }
        }
        // Direct group memberships per host; hosts in no real group belong to 'ungrouped' and only there.
        Map<String, Set<String>> direct = new LinkedHashMap<>();
        for (String h : hosts.keySet()) direct.put(h, new LinkedHashSet<>());
        for (GroupData g : groups.values()) {
            for (String h : g.hosts) direct.get(h).add(g.name);
        }
        GroupData ungrouped = groups.get(UNGROUPED);
        for (Map.Entry<String, Set<String>> e : direct.entrySet()) {
            Set<String> real = new HashSet<>(e.getValue());
            real.remove(ALL);
            real.remove(UNGROUPED);
            if (real.isEmpty()) {
                ungrouped.hosts.add(e.getKey());
                e.getValue().add(UNGROUPED);
            } else {
                ungrouped.hosts.remove(e.getKey());
                e.getValue().remove(UNGROUPED);
            }
            e.getValue().remove(ALL);
        }

        Map<String, Integer> depth = new HashMap<>();
        for (String g : groups.keySet()) depth(g, parents, depth);
        Map<String, Integer> priority = new HashMap<>();
        for (GroupData g : groups.values()) priority.put(g.name, priority(g));

        // Per source directory, then per entity: as Ansible's vars plugins combine them.
        List<Map<String, Map<String, Object>>> groupFileVarsBySource = new ArrayList<>();
        Map<String, Map<String, Object>> groupFileVars = new HashMap<>();
        Map<String, Map<String, Object>> hostFileVars = new HashMap<>();
        for (Path base : varsBases) {
            Path gv = base.resolve("group_vars");
            Path hv = base.resolve("host_vars");
            Map<String, Map<String, Object>> fromThis = new HashMap<>();
            for (String g : groups.keySet()) {
                Map<String, Object> v = VarsDirectories.load(gv, g, vault);
                fromThis.put(g, v);
                groupFileVars.computeIfAbsent(g, k -> new LinkedHashMap<>()).putAll(v);
            }
            groupFileVarsBySource.add(fromThis);
            for (String h : hosts.keySet()) {
                hostFileVars.computeIfAbsent(h, k -> new LinkedHashMap<>()).putAll(VarsDirectories.load(hv, h, vault));
            }
        }

        List<String> order = new ArrayList<>(hosts.keySet());
        Map<String, Group> groupRecords = new LinkedHashMap<>();
        for (GroupData g : groups.values()) {
            Map<String, Object> vars = new LinkedHashMap<>(g.vars);
            vars.putAll(groupFileVars.getOrDefault(g.name, Map.of()));
            List<String> members = g.name.equals(ALL) ? order : new ArrayList<>(g.hosts);
            groupRecords.put(g.name, new Group(g.name, members, new ArrayList<>(g.children.keySet()), vars));
        }

        Comparator<String> precedence = Comparator.<String>comparingInt(depth::get)
                .thenComparingInt(priority::get)
                .thenComparing(Comparator.naturalOrder());
        List<Host> hostRecords = new ArrayList<>();
        Map<String, Map<String, Object>> merged = new LinkedHashMap<>();
        Map<String, Set<String>> memberOf = new LinkedHashMap<>();
        Map<String, SourcePosition> positions = new HashMap<>();
        for (HostData h : hosts.values()) {
            Map<String, Object> own = new LinkedHashMap<>(h.vars);
            own.putAll(hostFileVars.getOrDefault(h.name, Map.of()));
            hostRecords.add(new Host(h.name, own));
            positions.put(h.name, h.position);

            Set<String> ancestors = new LinkedHashSet<>();
            Deque<String> todo = new ArrayDeque<>(direct.get(h.name));
            while (!todo.isEmpty()) {
                String g = todo.pop();
                if (g.equals(ALL) || !ancestors.add(g)) continue;
                todo.addAll(parents.getOrDefault(g, List.of()));
            }
            List<String> sorted = new ArrayList<>(ancestors);
            sorted.sort(precedence);
            memberOf.put(h.name, ancestors);

            // Ansible's default VARIABLE_PRECEDENCE: all_inventory, groups_inventory, all_plugins_inventory,
            // groups_plugins_inventory, then host vars from the inventory and from host_vars/.
            Map<String, Object> vars = new LinkedHashMap<>(groups.get(ALL).vars);
            for (String g : sorted) vars.putAll(groups.get(g).vars);
            for (Map<String, Map<String, Object>> src : groupFileVarsBySource) vars.putAll(src.get(ALL));
            for (Map<String, Map<String, Object>> src : groupFileVarsBySource) {
                for (String g : sorted) vars.putAll(src.get(g));
            }
            vars.putAll(h.vars);
            vars.putAll(hostFileVars.getOrDefault(h.name, Map.of()));
            merged.put(h.name, vars);
        }
        Map<String, Map<String, Object>> implicit = new LinkedHashMap<>();
        for (String name : Inventory.IMPLICIT_LOCALHOST_NAMES) {
            if (hosts.containsKey(name)) continue;
            // Ansible's implicit localhost: not in any group, yet it gets group 'all' variables and its own
            // host_vars/ file; ansible_connection=local is set as a host variable, so host_vars/ may override it.
            Map<String, Object> vars = new LinkedHashMap<>(groups.get(ALL).vars);
            for (Map<String, Map<String, Object>> src : groupFileVarsBySource) vars.putAll(src.get(ALL));
            vars.put("ansible_connection", "local");
            for (Path base : varsBases) vars.putAll(VarsDirectories.load(base.resolve("host_vars"), name, vault));
            implicit.put(name, vars);
        }
        return new Inventory(source, hostRecords, groupRecords, merged, memberOf, positions, implicit);
    }

    private int depth(String g, Map<String, List<String>> parents, Map<String, Integer> memo) {
        Integer known = memo.get(g);
        if (known != null) return known;
        int d = 0;
        if (!g.equals(ALL)) {
            for (String p : parents.getOrDefault(g, List.of())) d = Math.max(d, depth(p, parents, memo) + 1);
        }
        memo.put(g, d);
        return d;
    }

    private static int priority(GroupData g) throws ParseException {
        Object p = g.vars.get("ansible_group_priority");
        if (p == null) return 1;
        try {
            return p instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(p).strip());
        } catch (NumberFormatException e) {
            throw new ParseException(g.varPositions.getOrDefault("ansible_group_priority", g.position),
                    "group '" + g.name + "': ansible_group_priority '" + p + "' is not a whole number");
        }
    }

    /** Depth-first search over child links; a link back into the current path is a cycle. */
    private void rejectCycles() throws ParseException {
        Set<String> done = new HashSet<>();
        for (String g : groups.keySet()) {
            if (!done.contains(g)) visit(g, new ArrayList<>(), new HashSet<>(), done);
        }
    }

    private void visit(String g, List<String> path, Set<String> onPath, Set<String> done) throws ParseException {
        path.add(g);
        onPath.add(g);
        for (Map.Entry<String, SourcePosition> c : groups.get(g).children.entrySet()) {
            String child = c.getKey();
            if (onPath.contains(child)) {
                List<String> cycle = new ArrayList<>(path.subList(path.indexOf(child), path.size()));
                cycle.add(child);
                throw new ParseException(c.getValue(), "group '" + child + "' is its own child (cycle "
                        + String.join(" -> ", cycle) + ")");
            }
            if (!done.contains(child)) visit(child, path, onPath, done);
        }
        path.remove(path.size() - 1);
        onPath.remove(g);
        done.add(g);
    }
}

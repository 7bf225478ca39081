package dev.fleet.inventory;

import dev.fleet.vault.Vault;
import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.SourcePosition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * An Ansible-compatible inventory: hosts, groups and their variables, immutable and safe to share between threads.
 *
 * <p>Sources: INI or YAML inventory files, executable inventory scripts, directories of them and inline host
 * lists, one or several merged (see {@link InventoryLoader}). Beside each source, {@code group_vars/} and
 * {@code host_vars/} are read.
 *
 * <p>Variable precedence ({@link #varsFor(String)}), lowest first, exactly Ansible's default: group {@code all}
 * from the inventory file; the host's other groups from the inventory file, ordered by depth (parents before
 * children), then {@code ansible_group_priority}, then name; {@code group_vars/all}; {@code group_vars/<group>} in
 * the same group order; the host's inline inventory vars; {@code host_vars/<host>}. Later values replace earlier
 * ones entirely (Ansible's default {@code hash_behaviour=replace}).
 */
public final class Inventory {
    /** Names that give Ansible's implicit localhost when the inventory has no such host (C.LOCALHOST). */
    static final List<String> IMPLICIT_LOCALHOST_NAMES = List.of("localhost", "127.0.0.1", "::1");
    private static final Pattern YAML_KEY_LINE = Pattern.compile("^(---.*|\\{.*|[^\\s=\\[#;]+:(\\s.*)?)$");

    private final String source;
    private final List<Host> hosts;
    private final Map<String, Host> hostsByName;
    private final Map<String, Integer> hostIndex;
    private final Map<String, Group> groups;
    private final Map<String, Map<String, Object>> mergedVars;
    private final Map<String, List<String>> groupNames;
    private final Map<String, List<String>> hostsOfGroup;
    private final Map<String, SourcePosition> hostPositions;
    private final Map<String, Host> implicitHosts;

    Inventory(String source, List<Host> hosts, Map<String, Group> groups, Map<String, Map<String, Object>> merged,
            Map<String, Set<String>> memberOf, Map<String, SourcePosition> hostPositions,
            Map<String, Map<String, Object>> implicitLocalhost) {
        this.source = source;
        this.hosts = List.copyOf(hosts);
        Map<String, Host> byName = new LinkedHashMap<>();
        Map<String, Integer> index = new HashMap<>();
        for (Host h : hosts) {
            index.put(h.name(), byName.size());
            byName.put(h.name(), h);
        }
        this.hostsByName = Collections.unmodifiableMap(byName);
        this.hostIndex = index;
        this.groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
        Map<String, Map<String, Object>> mv = new HashMap<>();
        merged.forEach((h, v) -> mv.put(h, Vars.freeze(v)));
        this.mergedVars = mv;
        Map<String, List<String>> names = new HashMap<>();
        Map<String, List<String>> members = new HashMap<>();
        for (String g : groups.keySet()) members.put(g, new ArrayList<>());
        for (Host h : hosts) {
            Set<String> of = memberOf.getOrDefault(h.name(), Set.of());
            Set<String> sorted = new TreeSet<>(of);
            sorted.remove(InventoryBuilder.ALL);
            sorted.remove(InventoryBuilder.UNGROUPED);
            names.put(h.name(), List.copyOf(sorted));
            members.get(InventoryBuilder.ALL).add(h.name());
            for (String g : of) members.get(g).add(h.name()); // hosts iterate in inventory order
        }
        members.replaceAll((g, l) -> List.copyOf(l));
        this.groupNames = names;
        this.hostsOfGroup = members;
        this.hostPositions = Map.copyOf(hostPositions);
        Map<String, Host> implicit = new HashMap<>();
        implicitLocalhost.forEach((name, vars) -> {
            implicit.put(name, new Host(name, vars));
            mv.put(name, Vars.freeze(vars));
            names.put(name, List.of());
        });
        this.implicitHosts = implicit;
    }

    /**
     * Loads an inventory file (an executable script, or INI or YAML as detected by {@link #parse(String, String)})
     * or a directory of them, as described at {@link InventoryLoader}. {@code group_vars/} and {@code host_vars/}
     * beside the file (or inside the directory) are applied.
     */
    public static Inventory load(Path path) throws ParseException {
        return load(path, Vault.NONE);
    }

    /** Like {@link #load(Path)}, decrypting vaulted files and {@code !vault} values with {@code vault}. */
    public static Inventory load(Path path, Vault vault) throws ParseException {
        return InventoryLoader.load(List.of(path.toString()), vault);
    }

    /**
     * Parses inventory text; no {@code group_vars/}/{@code host_vars/} are read. The format is YAML when the name
     * ends in {@code .yml}, {@code .yaml} or {@code .json}, INI when it ends in {@code .ini}; otherwise INI when the
     * first line that is not blank or a comment starts with {@code [} or is not a YAML {@code key:} line, else YAML.
     */
    public static Inventory parse(String text, String fileName) throws ParseException {
        InventoryBuilder builder = new InventoryBuilder(fileName, Vault.NONE);
        InventoryLoader.parse(text, fileName, builder);
        return builder.build(List.of());
    }

    static boolean isYaml(String text, String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".yml") || lower.endsWith(".yaml") || lower.endsWith(".json")) return true;
        if (lower.endsWith(".ini")) return false;
        for (String line : text.split("\n")) {
            String s = line.strip();
            if (s.startsWith("\uFEFF")) s = s.substring(1).strip();
            if (s.isEmpty() || s.startsWith("#") || s.startsWith(";")) continue;
            return YAML_KEY_LINE.matcher(s).matches();
        }
        return false;
    }

    /**
     * This inventory with {@code host} (added when new, its variables {@code vars} over what it had) in
     * {@code groups} (made when new, as children of {@code parents}, or of {@code all}): what {@code add_host} and
     * {@code group_by} do to the run's inventory. This inventory is not changed.
     */
    public Inventory withHostInGroups(String host, Map<String, Object> vars, List<String> groups,
            List<String> parents) {
        List<Host> newHosts = new ArrayList<>(hosts);
        Map<String, Map<String, Object>> merged = new HashMap<>(mergedVars);
        implicitHosts.keySet().forEach(merged::remove);
        Map<String, Object> hostVars = new LinkedHashMap<>(merged.getOrDefault(host,
                groups().containsKey(InventoryBuilder.ALL) ? groups().get(InventoryBuilder.ALL).vars() : Map.of()));
        hostVars.putAll(vars);
        merged.put(host, hostVars);
        if (!hostsByName.containsKey(host)) newHosts.add(new Host(host, vars));
        Map<String, Group> newGroups = new LinkedHashMap<>(this.groups);
        for (String g : groups) {
            Group old = newGroups.get(g);
            List<String> members = new ArrayList<>(old == null ? List.of() : old.hosts());
            if (!members.contains(host)) members.add(host);
            newGroups.put(g, new Group(g, members, old == null ? List.of() : old.children(),
                    old == null ? Map.of() : old.vars()));
            if (old == null) {
                for (String parent : parents.isEmpty() ? List.of(InventoryBuilder.ALL) : parents) {
                    Group p = newGroups.get(parent);
                    List<String> children = new ArrayList<>(p == null ? List.of() : p.children());
                    if (!children.contains(g)) children.add(g);
                    newGroups.put(parent, new Group(parent, p == null ? List.of() : p.hosts(), children,
                            p == null ? Map.of() : p.vars()));
                }
            }
        }
        Map<String, Set<String>> memberOf = new HashMap<>();
        for (Host h : newHosts) {
            Set<String> of = new LinkedHashSet<>();
            for (String g : this.groups.keySet()) if (hostsOf(g).contains(h.name())) of.add(g);
            memberOf.put(h.name(), of);
        }
        // the host's new groups and every group above them
        List<String> todo = new ArrayList<>(groups);
        Set<String> of = memberOf.get(host);
        while (!todo.isEmpty()) {
            String g = todo.remove(0);
            if (!of.add(g)) continue;
            newGroups.forEach((name, grp) -> {
                if (grp.children().contains(g)) todo.add(name);
            });
        }
        of.remove(InventoryBuilder.ALL);
        of.remove(InventoryBuilder.UNGROUPED);
        if (of.isEmpty() && newGroups.containsKey(InventoryBuilder.UNGROUPED)) of.add(InventoryBuilder.UNGROUPED);
        // the constructor adds every host to 'all' itself
        memberOf.values().forEach(x -> x.remove(InventoryBuilder.ALL));
        Map<String, Map<String, Object>> implicit = new HashMap<>();
        implicitHosts.forEach((name, h) -> implicit.put(name, h.vars()));
        return new Inventory(source, newHosts, newGroups, merged, memberOf, hostPositions, implicit);
    }

    /** The file or directory name this inventory came from. */
    public String source() {
        return source;
    }

    /** All hosts in order of first appearance. */
    public List<Host> hosts() {
        return hosts;
    }

    /**
     * A host by name. As in Ansible, {@code localhost}, {@code 127.0.0.1} and {@code ::1} are found even when
     * the inventory does not list them: the implicit localhost, with {@code ansible_connection=local}, group
     * {@code all}'s variables and its {@code host_vars/} file, yet in no group and not in {@link #hosts()}.
     */
    public Optional<Host> host(String name) {
        Host h = hostsByName.get(name);
        return Optional.ofNullable(h != null ? h : implicitHosts.get(name));
    }

    /** Whether the host is the implicit localhost (see {@link #host(String)}), not one the inventory lists. */
    public boolean isImplicit(String name) {
        return implicitHosts.containsKey(name);
    }

    /** All groups by name: {@code all}, {@code ungrouped}, then in order of first appearance. */
    public Map<String, Group> groups() {
        return groups;
    }

    public Optional<Group> group(String name) {
        return Optional.ofNullable(groups.get(name));
    }

    /** Host names of a group including its descendant groups, in inventory order; empty for an unknown group. */
    public List<String> hostsOf(String group) {
        return hostsOfGroup.getOrDefault(group, List.of());
    }

    /** Position of the line that first declared the host, for error messages about it. */
    public Optional<SourcePosition> positionOf(String host) {
        return Optional.ofNullable(hostPositions.get(host));
    }

    /**
     * The host's variables merged by precedence (see the class comment) plus the magic variables
     * {@code inventory_hostname}, {@code inventory_hostname_short} and {@code group_names} (sorted, without
     * {@code all}/{@code ungrouped}). Empty for an unknown host. Values are not templated.
     */
    public Map<String, Object> varsFor(String host) {
        Map<String, Object> merged = mergedVars.get(host);
        if (merged == null) return Map.of();
        Map<String, Object> out = new LinkedHashMap<>(merged);
        out.put("inventory_hostname", host);
        int dot = host.indexOf('.');
        out.put("inventory_hostname_short", dot > 0 ? host.substring(0, dot) : host);
        out.put("group_names", groupNames.get(host));
        return Collections.unmodifiableMap(out);
    }

    /** Merged variables without magic variables, as {@code ansible-inventory --list} shows them. */
    Map<String, Object> mergedVars(String host) {
        return mergedVars.getOrDefault(host, Map.of());
    }

    /**
     * Address, port, user and key for a host from its merged (untemplated) vars. When the vars contain templates,
     * template them first and call {@link HostConnection#of} instead.
     *
     * @throws ParseException for an unknown host or an {@code ansible_port} that is not a port number
     */
    public HostConnection connection(String host) throws ParseException {
        if (!mergedVars.containsKey(host)) {
            throw new ParseException(SourcePosition.of(source), "unknown host '" + host + "'");
        }
        return HostConnection.of(host, varsFor(host), hostPositions.get(host));
    }

    /**
     * Hosts matching an Ansible host pattern (see {@link HostPattern}) in inventory order. A pattern that cannot
     * be parsed, like one that matches nothing, gives an empty list; use {@link #selectWithWarnings(String)} to
     * tell the user why.
     */
    public List<Host> select(String pattern) {
        return selectWithWarnings(pattern).hosts();
    }

    /** Like {@link #select(String)}, with warnings such as "pattern 'xyz' matched no hosts". */
    public HostPattern.Selection selectWithWarnings(String pattern) {
        try {
            return HostPattern.parse(pattern).select(this);
        } catch (ParseException e) {
            return new HostPattern.Selection(List.of(), List.of(e.getMessage()));
        }
    }

    int indexOf(String host) {
        return hostIndex.getOrDefault(host, Integer.MAX_VALUE);
    }
}

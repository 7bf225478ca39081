package dev.fleet.inventory;

import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.SourcePosition;
import dev.fleet.yaml.YamlNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Ansible's {@code constructed} inventory plugin ({@code plugin: constructed} in a YAML file): for every host
 * known so far (from the sources before it), {@code compose} sets host variables, {@code groups} adds the host to
 * each group whose condition holds, {@code keyed_groups} adds it to groups named after a variable's value
 * ({@code prefix}, {@code separator}, {@code default_value}, {@code trailing_separator}, {@code parent_group},
 * {@code leading_separator}). Expressions see the host's inventory variables (group vars by precedence, then host
 * vars) plus {@code inventory_hostname} and {@code group_names}, not group_vars/ files (Ansible's default
 * {@code use_vars_plugins: false}). Expressions are the subset of {@link InventoryExpression}. With
 * {@code strict: false} (the default) an undefined variable skips that entry for the host, as in Ansible.
 */
final class InventoryConstructed {
    private static final Set<String> OPTIONS = Set.of("plugin", "strict", "compose", "groups", "keyed_groups",
            "leading_separator", "use_extra_vars", "use_vars_plugins");

    private record Keyed(InventoryExpression key, String prefix, String separator, String defaultValue,
            Boolean trailingSeparator, String parentGroup, SourcePosition position) {}

    private final InventoryBuilder builder;
    private final boolean strict;
    private final boolean leadingSeparator;
    private final Map<String, InventoryExpression> compose = new LinkedHashMap<>();
    private final Map<String, InventoryExpression> groups = new LinkedHashMap<>();
    private final List<Keyed> keyed = new ArrayList<>();
    private final Map<String, SourcePosition> positions = new HashMap<>();

    private InventoryConstructed(InventoryBuilder builder, YamlNode.Mapping config) throws ParseException {
        this.builder = builder;
        for (String key : config.entries().keySet()) {
            if (!OPTIONS.contains(key)) {
                throw new ParseException(config.keyPosition(key), "unknown constructed option '" + key
                        + "'; expected one of " + new TreeSet<>(OPTIONS));
            }
        }
        if (truthy(config.get("use_vars_plugins"))) {
            throw new ParseException(config.keyPosition("use_vars_plugins"), "use_vars_plugins is not supported;"
                    + " remove it (group_vars/ and host_vars/ still apply to the hosts afterwards)");
        }
        this.strict = truthy(config.get("strict"));
        this.leadingSeparator = !config.has("leading_separator") || truthy(config.get("leading_separator"));
        expressions(config, "compose", compose);
        expressions(config, "groups", groups);
        YamlNode kg = config.get("keyed_groups");
        if (kg != null && !isNull(kg)) {
            if (!(kg instanceof YamlNode.Sequence seq)) {
                throw new ParseException(kg.position(), "'keyed_groups' must be a list of {key: ..., prefix: ...};"
                        + " found a " + kg.kind());
            }
            for (YamlNode item : seq.items()) keyed.add(keyed(item));
        }
    }

    /** Applies a {@code plugin: constructed} configuration to the hosts collected so far. */
    static void apply(YamlNode.Mapping config, InventoryBuilder builder) throws ParseException {
        new InventoryConstructed(builder, config).run();
    }

    private void run() throws ParseException {
        for (String host : new ArrayList<>(builder.hostData().keySet())) {
            for (Map.Entry<String, InventoryExpression> c : compose.entrySet()) {
                Object v = value(c.getValue(), host, "compose." + c.getKey());
                if (v != SKIP) builder.addHostVars(host, single(c.getKey(), v));
            }
            for (Map.Entry<String, InventoryExpression> g : groups.entrySet()) {
                Object v = value(g.getValue(), host, "groups." + g.getKey());
                if (v != SKIP && InventoryExpression.truthy(v)) {
                    add(host, sanitize(g.getKey()), null, positions.get(g.getKey()));
                }
            }
            for (Keyed k : keyed) keyedGroups(host, k);
        }
    }

    private static final Object SKIP = new Object();

    private Object value(InventoryExpression e, String host, String where) throws ParseException {
        try {
            return e.evaluate(hostVars(host));
        } catch (InventoryExpression.UndefinedException u) {
            if (!strict) return SKIP;
            throw new ParseException(positions.getOrDefault(where, SourcePosition.of("constructed")),
                    "host '" + host + "': " + u.getMessage() + " (strict: true)");
        }
    }

    private void keyedGroups(String host, Keyed k) throws ParseException {
        Object key = value(k.key(), host, "keyed:" + k.key().text());
        if (key == SKIP) return;
        List<String> names = new ArrayList<>();
        if (key instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String val = e.getValue() == null ? "" : String.valueOf(e.getValue());
                String name = e.getKey() + k.separator() + val;
                if (val.isEmpty() && k.defaultValue() != null) name = e.getKey() + k.separator() + k.defaultValue();
                else if (val.isEmpty() && Boolean.FALSE.equals(k.trailingSeparator())) name = "" + e.getKey();
                names.add(name);
            }
        } else {
            List<?> items = key instanceof List<?> l ? l : Collections.singletonList(key);
            if (!(key instanceof List<?>) && !InventoryExpression.truthy(key)
                    && !("".equals(key) && k.defaultValue() != null)) {
                return; // Ansible constructs nothing for an empty key
            }
            for (Object o : items) {
                String s = o == null ? "" : String.valueOf(o);
                names.add(s.isEmpty() && k.defaultValue() != null ? k.defaultValue() : s);
            }
        }
        String sep = k.prefix().isEmpty() && !leadingSeparator ? "" : k.separator();
        for (String bare : names) add(host, sanitize(k.prefix() + sep + bare), k.parentGroup(), k.position());
    }

    private void add(String host, String group, String parent, SourcePosition pos) throws ParseException {
        builder.addHost(group, host, Map.of(), pos);
        if (parent != null) builder.addChild(sanitize(parent), group, pos);
    }

    /** Ansible's to_safe_group_name as the constructed plugin forces it: anything but [A-Za-z0-9_] becomes _. */
    static String sanitize(String name) {
        return name.replaceAll("[^A-Za-z0-9_]", "_");
    }

    /** The host's inventory variables as constructed sees them (see the class comment). */
    private Map<String, Object> hostVars(String host) {
        Map<String, InventoryBuilder.GroupData> all = builder.groupData();
        Map<String, List<String>> parents = new HashMap<>();
        for (InventoryBuilder.GroupData g : all.values()) {
            for (String c : g.children.keySet()) parents.computeIfAbsent(c, x -> new ArrayList<>()).add(g.name);
        }
        Set<String> ancestors = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        for (InventoryBuilder.GroupData g : all.values()) if (g.hosts.contains(host)) todo.add(g.name);
        while (!todo.isEmpty()) {
            String g = todo.pop();
            if (g.equals(InventoryBuilder.ALL) || !ancestors.add(g)) continue;
            todo.addAll(parents.getOrDefault(g, List.of()));
        }
        Map<String, Integer> depth = new HashMap<>();
        List<String> sorted = new ArrayList<>(ancestors);
        sorted.sort(Comparator.<String>comparingInt(g -> depth(g, parents, depth, new LinkedHashSet<>()))
                .thenComparingInt(g -> priority(all.get(g))).thenComparing(Comparator.naturalOrder()));
        Map<String, Object> vars = new LinkedHashMap<>(all.get(InventoryBuilder.ALL).vars);
        for (String g : sorted) vars.putAll(all.get(g).vars);
        vars.putAll(builder.hostData().get(host).vars);
        vars.put("inventory_hostname", host);
        int dot = host.indexOf('.');
        vars.put("inventory_hostname_short", dot > 0 ? host.substring(0, dot) : host);
        Set<String> names = new TreeSet<>(ancestors);
        names.remove(InventoryBuilder.UNGROUPED);
        vars.put("group_names", new ArrayList<>(names));
        return vars;
    }

    private static int depth(String g, Map<String, List<String>> parents, Map<String, Integer> memo, Set<String> seen) {
        Integer known = memo.get(g);
        if (known != null) return known;
        int d = 1; // a group without parents hangs under 'all'
        if (seen.add(g)) {
            for (String p : parents.getOrDefault(g, List.of())) {
                if (!p.equals(InventoryBuilder.ALL)) d = Math.max(d, depth(p, parents, memo, seen) + 1);
            }
        }
        memo.put(g, d);
        return d;
    }

    private static int priority(InventoryBuilder.GroupData g) {
        Object p = g.vars.get("ansible_group_priority");
        if (p instanceof Number n) return n.intValue();
        try {
            return p == null ? 1 : Integer.parseInt(String.valueOf(p).strip());
        } catch (NumberFormatException e) {
            return 1; // reported with its position when the inventory is built
        }
    }

    private void expressions(YamlNode.Mapping config, String option, Map<String, InventoryExpression> into)
            throws ParseException {
        YamlNode n = config.get(option);
        if (n == null || isNull(n)) return;
        if (!(n instanceof YamlNode.Mapping m)) {
            throw new ParseException(n.position(), "'" + option + "' must be a mapping of name -> expression; found a "
                    + n.kind());
        }
        for (Map.Entry<String, YamlNode> e : m.entries().entrySet()) {
            SourcePosition pos = m.keyPosition(e.getKey());
            into.put(e.getKey(), InventoryExpression.parse(text(e.getValue(), option + "." + e.getKey()), pos));
            positions.put(option + "." + e.getKey(), pos);
            if (option.equals("groups")) positions.put(e.getKey(), pos);
        }
    }

    private Keyed keyed(YamlNode item) throws ParseException {
        if (!(item instanceof YamlNode.Mapping m) || !m.has("key")) {
            throw new ParseException(item.position(), "a keyed_groups entry must be a mapping with 'key' (and "
                    + "optionally prefix, separator, default_value, trailing_separator, parent_group)");
        }
        for (String k : m.entries().keySet()) {
            if (!Set.of("key", "prefix", "separator", "default_value", "trailing_separator", "parent_group")
                    .contains(k)) {
                throw new ParseException(m.keyPosition(k), "unknown keyed_groups option '" + k + "'; expected key, "
                        + "prefix, separator, default_value, trailing_separator or parent_group");
            }
        }
        if (m.has("default_value") && m.has("trailing_separator")) {
            throw new ParseException(m.keyPosition("trailing_separator"), "default_value and trailing_separator "
                    + "cannot both be set in one keyed_groups entry; keep one");
        }
        SourcePosition pos = m.keyPosition("key");
        InventoryExpression key = InventoryExpression.parse(text(m.get("key"), "key"), pos);
        positions.put("keyed:" + key.text(), pos);
        Boolean trailing = m.has("trailing_separator") ? truthy(m.get("trailing_separator")) : null;
        return new Keyed(key, optional(m, "prefix", ""), optional(m, "separator", "_"),
                m.has("default_value") ? optional(m, "default_value", "") : null, trailing,
                m.has("parent_group") ? optional(m, "parent_group", null) : null, pos);
    }

    private static String optional(YamlNode.Mapping m, String key, String dflt) {
        YamlNode n = m.get(key);
        return n instanceof YamlNode.Scalar s && !s.isNull() ? s.text() : dflt;
    }

    private static String text(YamlNode n, String what) throws ParseException {
        if (n instanceof YamlNode.Scalar s && !s.isNull()) return s.text();
        throw new ParseException(n == null ? SourcePosition.of("constructed") : n.position(), "'" + what
                + "' must be an expression string");
    }

    private static Map<String, Object> single(String k, Object v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k, v);
        return m;
    }

    private static boolean truthy(YamlNode n) {
        return n != null && InventoryExpression.truthy(n.toPlain());
    }

    private static boolean isNull(YamlNode n) {
        return n instanceof YamlNode.Scalar s && s.isNull();
    }
}

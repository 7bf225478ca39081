package dev.fleet.inventory;

import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.SourcePosition;
import dev.fleet.yaml.YamlLoader;
import dev.fleet.yaml.YamlNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses Ansible's YAML inventory format: top-level keys are groups (usually just {@code all}), each a mapping
 * with optional {@code hosts} (host name -> variables or nothing), {@code vars} and {@code children} (group name
 * -> the same structure). Host names may use ranges and {@code host:port}. Where Ansible only warns and skips
 * (unknown keys, lists where mappings belong) this parser fails with the position, because a silently skipped
 * host is worse than a refused inventory.
 */
final class YamlInventoryParser {
    private final InventoryBuilder builder;

    private YamlInventoryParser(InventoryBuilder builder) {
        this.builder = builder;
    }

    static void parse(String text, String file, InventoryBuilder builder) throws ParseException {
        YamlNode root = YamlLoader.load(text, file, builder.vault);
        if (root == null || (root instanceof YamlNode.Scalar s && s.isNull())) return;
        if (!(root instanceof YamlNode.Mapping m)) {
            throw new ParseException(root.position(), "a YAML inventory must be a mapping of group names, e.g."
                    + " 'all: {hosts: {web1: }}'; found a " + root.kind());
        }
        if (m.entries().containsKey("plugin")) {
            // An inventory plugin's configuration (constructed, aws_ec2, ...), which Ansible's yaml plugin refuses
            // too; read as groups it would only give a confusing error about a group named 'plugin'.
            YamlNode plugin = m.entries().get("plugin");
            String name = plugin instanceof YamlNode.Scalar sc ? sc.text() : plugin.kind();
            if (name.equals("constructed") || name.equals("ansible.builtin.constructed")) {
                InventoryConstructed.apply(m, builder);
                return;
            }
            throw new ParseException(m.keyPosition("plugin"), "inventory plugin configuration (plugin: " + name
                    + ") is not supported; fleet reads INI and YAML inventories, executable inventory scripts, "
                    + "'plugin: constructed' and directories of them (a script can stand in for other plugins)");
        }
        YamlInventoryParser p = new YamlInventoryParser(builder);
        for (Map.Entry<String, YamlNode> e : m.entries().entrySet()) {
            p.group(e.getKey(), e.getValue(), m.keyPosition(e.getKey()));
        }
    }

    private void group(String name, YamlNode node, SourcePosition keyPos) throws ParseException {
        if (name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
            throw new ParseException(keyPos, "group name '" + name + "' must be non-empty without spaces");
        }
        builder.group(name, keyPos);
        if (isNull(node)) return;
        if (!(node instanceof YamlNode.Mapping m)) {
            throw new ParseException(node.position(), "group '" + name + "' must be a mapping with 'hosts', 'vars'"
                    + " or 'children' (or empty); found a " + node.kind());
        }
        for (Map.Entry<String, YamlNode> e : m.entries().entrySet()) {
            String key = e.getKey();
            YamlNode value = e.getValue();
            SourcePosition pos = m.keyPosition(key);
            switch (key) {
                case "hosts" -> {
                    for (Map.Entry<String, YamlNode> h : entries(value, name, key).entrySet()) {
                        host(name, h.getKey(), h.getValue(), positionOf(value, h.getKey()));
                    }
                }
                case "vars" -> {
                    if (isNull(value)) continue;
                    if (!(value instanceof YamlNode.Mapping vars)) {
                        throw new ParseException(value.position(), "'vars' of group '" + name
                                + "' must be a mapping of variable names to values; found a " + value.kind());
                    }
                    for (Map.Entry<String, YamlNode> v : vars.entries().entrySet()) {
                        builder.setGroupVar(name, v.getKey(), v.getValue().toPlain(), vars.keyPosition(v.getKey()));
                    }
                }
                case "children" -> {
                    for (Map.Entry<String, YamlNode> c : entries(value, name, key).entrySet()) {
                        SourcePosition cpos = positionOf(value, c.getKey());
                        group(c.getKey(), c.getValue(), cpos);
                        builder.addChild(name, c.getKey(), cpos);
                    }
                }
                default -> throw new ParseException(pos, "unexpected key '" + key + "' in group '" + name
                        + "'; expected 'hosts', 'vars' or 'children' (host variables go under hosts: {HOST: {...}})");
            }
        }
    }

    private void host(String group, String pattern, YamlNode value, SourcePosition pos) throws ParseException {
        Map<String, Object> vars = new LinkedHashMap<>();
        if (!isNull(value)) {
            if (!(value instanceof YamlNode.Mapping m)) {
                throw new ParseException(value.position(), "host '" + pattern + "' in group '" + group
                        + "' must have a mapping of variables (or nothing); found a " + value.kind());
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> plain = (Map<String, Object>) m.toPlain();
            vars.putAll(plain);
        }
        if (pattern.isBlank() || pattern.chars().anyMatch(Character::isWhitespace)) {
            throw new ParseException(pos, "host name '" + pattern + "' must be non-empty without spaces");
        }
        String[] hostAndPort = IniInventoryParser.splitPort(pattern, pos);
        String name = hostAndPort[0];
        if (hostAndPort[1] != null) {
            vars.putIfAbsent("ansible_port", IniInventoryParser.port(hostAndPort[1], pattern, pos));
        }
        List<String> names = HostRanges.hasRange(name) ? HostRanges.expand(name, pos) : List.of(name);
        for (String h : names) builder.addHost(group, h, vars, pos);
    }

    /** hosts/children: a mapping, nothing, or (as Ansible allows) a single name as a string. */
    private static Map<String, YamlNode> entries(YamlNode value, String group, String section) throws ParseException {
        if (isNull(value)) return Map.of();
        if (value instanceof YamlNode.Mapping m) return m.entries();
        if (value instanceof YamlNode.Scalar s) {
            Map<String, YamlNode> one = new LinkedHashMap<>();
            one.put(s.text(), new YamlNode.Scalar(null, "", s.position()));
            return one;
        }
        String example = section.equals("hosts") ? "'hosts: {web1: , web2: }'" : "'children: {web: , db: }'";
        throw new ParseException(value.position(), "'" + section + "' of group '" + group + "' must be a mapping of "
                + (section.equals("hosts") ? "host" : "group") + " names, e.g. " + example + "; found a "
                + value.kind());
    }

    private static SourcePosition positionOf(YamlNode parent, String key) {
        return parent instanceof YamlNode.Mapping m ? m.keyPosition(key) : parent.position();
    }

    private static boolean isNull(YamlNode n) {
        return n == null || (n instanceof YamlNode.Scalar s && s.isNull());
    }
}

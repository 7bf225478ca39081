package dev.fleet.playbook;

import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.SourcePosition;
import dev.fleet.yaml.YamlNode;
import dev.fleet.yaml.YamlNode.Mapping;
import dev.fleet.yaml.YamlNode.Scalar;
import dev.fleet.yaml.YamlNode.Sequence;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Small typed readers of playbook YAML, each failing with {@code file:line:column} and what was expected. */
final class YamlReads {
    private YamlReads() {}


    static Mapping mapping(YamlNode node, String what) throws ParseException {
        if (node instanceof Mapping m) return m;
        throw new ParseException(node.position(), "expected " + what + ", found a " + node.kind()
                + (node instanceof Scalar s && s.value() != null ? " '" + s.text() + "'" : ""));
    }

    static void checkKeys(Mapping m, Set<String> allowed, String what) throws ParseException {
        for (String key : m.entries().keySet()) {
            if (allowed.contains(key)) continue;
            SourcePosition kp = m.keyPosition(key);
            if (key.equals(PlaybookParser.RESCUE_UNREACHABLE)) throw blockOnly(kp, "a " + what);
            if (PlaybookParser.ANSIBLE_KEYS_NOT_YET.contains(key)) {
                throw new ParseException(kp, what + " keyword '" + key + "' is not supported by fleet yet");
            }
            throw new ParseException(kp, "unknown " + what + " keyword '" + key + "'; expected one of "
                    + new TreeSet<>(allowed));
        }
    }

    /** {@code rescue_unreachable} found on something other than a block. */
    static ParseException blockOnly(SourcePosition at, String where) {
        return new ParseException(at, "'" + PlaybookParser.RESCUE_UNREACHABLE + "' is a block keyword and cannot be "
                + "used on " + where + "; put the tasks in a 'block:' with a 'rescue:' and set it there");
    }

    static String hostsPattern(YamlNode node) throws ParseException {
        if (node instanceof Scalar s && s.value() != null) return String.valueOf(s.value());
        if (node instanceof Sequence seq) {
            List<String> parts = new ArrayList<>();
            for (YamlNode n : seq.items()) {
                if (!(n instanceof Scalar s) || s.value() == null) {
                    throw new ParseException(n.position(), "'hosts' list items must be host patterns (strings)");
                }
                parts.add(String.valueOf(s.value()));
            }
            return String.join(",", parts);
        }
        throw new ParseException(node.position(), "'hosts' must be a host pattern such as 'all' or 'web:&prod'");
    }

    /** A condition or list of conditions; YAML booleans become "True"/"False" so they evaluate as written. */
    static List<String> conditions(Mapping m, String key) throws ParseException {
        List<String> out = new ArrayList<>();
        for (Scalar s : scalars(m, key, "a condition (a string such as \"result.rc != 0\") or a list of them")) {
            String c = s.value() instanceof Boolean b ? (b ? "True" : "False") : String.valueOf(s.value()).strip();
            if (c.startsWith("{{") && c.endsWith("}}")) c = c.substring(2, c.length() - 2).strip();
            if (c.isEmpty()) throw new ParseException(s.position(), "'" + key + "' is an empty condition");
            out.add(c);
        }
        return out;
    }

    static List<String> stringList(Mapping m, String key) throws ParseException {
        List<String> out = new ArrayList<>();
        for (Scalar s : scalars(m, key, "a string or a list of strings")) out.add(String.valueOf(s.value()));
        return out;
    }

    /** The non-null scalar, or the list of them, under {@code key}; anything else is an error naming {@code what}. */
    static List<Scalar> scalars(Mapping m, String key, String what) throws ParseException {
        YamlNode n = m.get(key);
        if (n == null || (n instanceof Scalar s && s.isNull())) return List.of();
        List<Scalar> out = new ArrayList<>();
        for (YamlNode item : n instanceof Sequence seq ? seq.items() : List.of(n)) {
            if (!(item instanceof Scalar s) || s.value() == null) {
                throw new ParseException(item.position(), "'" + key + "' must be " + what + ", found a " + item.kind());
            }
            out.add(s);
        }
        return out;
    }

    static Set<String> stringSet(Mapping m, String key) throws ParseException {
        Set<String> out = new LinkedHashSet<>();
        for (String s : stringList(m, key)) {
            for (String part : s.split(",")) if (!part.isBlank()) out.add(part.strip());
        }
        return out;
    }

    static String optionalString(Mapping m, String key) throws ParseException {
        YamlNode n = m.get(key);
        if (n == null || (n instanceof Scalar s && s.isNull())) return null;
        if (n instanceof Scalar s) return String.valueOf(s.value());
        throw new ParseException(n.position(), "'" + key + "' must be a string, found a " + n.kind());
    }

    static int optionalInt(Mapping m, String key, int dflt) throws ParseException {
        YamlNode n = m.get(key);
        if (n == null || (n instanceof Scalar s && s.isNull())) return dflt;
        if (n instanceof Scalar s && s.value() instanceof Integer i) return i;
        throw new ParseException(n.position(), "'" + key + "' must be a whole number");
    }

    /** A number of seconds, whole or not (Ansible's {@code delay: 0.5}), between 0 and {@code max}. */
    static java.time.Duration optionalSeconds(Mapping m, String key, double dflt, double max)
            throws ParseException {
        YamlNode n = m.get(key);
        if (n == null || (n instanceof Scalar s && s.isNull())) {
            return java.time.Duration.ofMillis((long) (dflt * 1000));
        }
        if (n instanceof Scalar s && s.value() instanceof Number num && num.doubleValue() >= 0
                && num.doubleValue() <= max) {
            return java.time.Duration.ofMillis(Math.round(num.doubleValue() * 1000));
        }
        throw new ParseException(n.position(), "'" + key + "' must be a number of seconds between 0 and " + (long) max);
    }

    static Boolean optionalBoolean(Mapping m, String key) throws ParseException {
        return m.has(key) ? optionalBool(m, key, false) : null;
    }

    static boolean optionalBool(Mapping m, String key, boolean dflt) throws ParseException {
        YamlNode n = m.get(key);
        if (n == null || (n instanceof Scalar s && s.isNull())) return dflt;
        if (n instanceof Scalar s) {
            if (s.value() instanceof Boolean b) return b;
            switch (s.text().toLowerCase()) {
                case "true", "yes", "on", "1": return true;
                case "false", "no", "off", "0": return false;
                default: break;
            }
        }
        throw new ParseException(n.position(), "'" + key + "' must be true or false");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> varsMapping(Mapping m, String key) throws ParseException {
        YamlNode n = m.get(key);
        if (n == null || (n instanceof Scalar s && s.isNull())) return new LinkedHashMap<>();
        if (n instanceof Mapping map) return (Map<String, Object>) map.toPlain();
        if (n instanceof Sequence seq) {
            // Ansible also takes a list of mappings (play vars written as "- name: value" items)
            Map<String, Object> out = new LinkedHashMap<>();
            for (YamlNode item : seq.items()) {
                if (!(item instanceof Mapping map)) {
                    throw new ParseException(item.position(), "'" + key + "' items must be mappings of names to"
                            + " values, found a " + item.kind());
                }
                out.putAll((Map<String, Object>) map.toPlain());
            }
            return out;
        }
        throw new ParseException(n.position(), "'" + key + "' must be a mapping of names to values, found a "
                + n.kind());
    }

    /** A plain value read as Ansible reads a boolean option ({@code yes}, {@code "true"}, 1). */
    static boolean truthy(Object v) {
        if (v instanceof Boolean b) return b;
        return Set.of("true", "yes", "on", "1").contains(String.valueOf(v).strip().toLowerCase());
    }
}

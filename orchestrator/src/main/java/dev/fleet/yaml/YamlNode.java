package dev.fleet.yaml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML node that remembers where it came from. Parsers walk this tree instead of plain maps so every
 * error can name {@code file:line:column}.
 */
public sealed interface YamlNode permits YamlNode.Scalar, YamlNode.Sequence, YamlNode.Mapping {

    SourcePosition position();

    /** Human name of the node kind, for "expected a mapping, found a sequence" messages. */
    String kind();

    /** The node as plain Java values: String, Integer/Long, Double, Boolean, null, List, LinkedHashMap. */
    Object toPlain();

    /** A scalar with its resolved YAML type: {@code value} is already an Integer, Boolean, null, ... */
    record Scalar(Object value, String text, SourcePosition position) implements YamlNode {
        public String kind() {
            return value == null ? "null" : "scalar";
        }

        public Object toPlain() {
            return value;
        }

        public boolean isNull() {
            return value == null;
        }
    }

    record Sequence(List<YamlNode> items, SourcePosition position) implements YamlNode {
        public Sequence {
            items = List.copyOf(items);
        }

        public String kind() {
            return "sequence";
        }

        public Object toPlain() {
            List<Object> out = new ArrayList<>(items.size());
            for (YamlNode n : items) out.add(n.toPlain());
            return out;
        }
    }

    /** A mapping with string keys in document order; {@code keyPositions} locate each key. */
    record Mapping(Map<String, YamlNode> entries, Map<String, SourcePosition> keyPositions, SourcePosition position)
            implements YamlNode {
        public Mapping {
            entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
            keyPositions = Map.copyOf(keyPositions);
        }

        public String kind() {
            return "mapping";
        }

        public YamlNode get(String key) {
            return entries.get(key);
        }

        public boolean has(String key) {
            return entries.containsKey(key);
        }

        public SourcePosition keyPosition(String key) {
            return keyPositions.getOrDefault(key, position);
        }

        public Object toPlain() {
            Map<String, Object> out = new LinkedHashMap<>();
            entries.forEach((k, v) -> out.put(k, v.toPlain()));
            return out;
        }
    }
}

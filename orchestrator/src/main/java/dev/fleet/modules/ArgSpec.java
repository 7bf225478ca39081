package dev.fleet.modules;

import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.SourcePosition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The arguments a module declares. Used to validate a task before any host is touched, and to split Ansible's
 * free-form syntax ({@code command: ls -l chdir=/tmp}) into named arguments.
 *
 * @param freeForm name under which free-form text is stored ({@code cmd}), or null if the module takes none
 * @param names    every accepted argument name; {@link #ANY_NAME} in it accepts any name ({@code set_fact})
 * @param required arguments that must be present, each entry a set of alternatives (one of them suffices)
 */
public record ArgSpec(String freeForm, Set<String> names, List<Set<String>> required) {

    public ArgSpec {
        names = Set.copyOf(names);
        required = List.copyOf(required);
    }

    /** In {@code names}: any argument name is accepted, as {@code set_fact} takes the variables it sets. */
    public static final String ANY_NAME = "*";

    public static ArgSpec none() {
        return new ArgSpec(null, Set.of(), List.of());
    }

    /** Any {@code key=value} or named arguments, nothing required. */
    public static ArgSpec any() {
        return new ArgSpec(null, Set.of(ANY_NAME), List.of());
    }

    public static ArgSpec of(String freeForm, Set<String> names, List<Set<String>> required) {
        return new ArgSpec(freeForm, names, required);
    }

    private static final Pattern KV = Pattern.compile("(?:^|\\s)([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|'[^']*'|\\S+)");

    /** Normalises the value under the module key plus the task's {@code args:} into one argument map. */
    public Map<String, Object> normalize(String module, Object raw, Map<String, Object> extra, SourcePosition at)
            throws ParseException {
        Map<String, Object> out = new LinkedHashMap<>();
        if (raw instanceof String text) {
            if (freeForm == null) {
                // modules without free form still accept Ansible's "key=value key2=value2" one-liner
                parseKeyValues(module, text, out, at, true);
            } else {
                String rest = parseKeyValues(module, text, out, at, false).strip();
                if (!rest.isEmpty()) out.put(freeForm, rest);
            }
        } else if (raw instanceof Map<?, ?> map) {
            map.forEach((k, v) -> out.put(String.valueOf(k), v));
        } else if (raw != null) {
            if (freeForm == null) {
                throw new ParseException(at, "module '" + module + "' takes named arguments, found '" + raw + "'");
            }
            out.put(freeForm, String.valueOf(raw));
        }
        out.putAll(extra);
        if (freeForm != null && out.containsKey("_raw_params")) out.put(freeForm, out.remove("_raw_params"));
        for (String key : out.keySet()) {
            if (!names.contains(key) && !names.contains(ANY_NAME)) {
                throw new ParseException(at, "module '" + module + "' has no argument '" + key + "'; expected "
                        + (names.isEmpty() ? "no arguments" : "one of " + new TreeSet<>(names)));
            }
        }
        for (Set<String> alternatives : required) {
            if (alternatives.stream().noneMatch(out::containsKey)) {
                throw new ParseException(at, "module '" + module + "' is missing required argument "
                        + (alternatives.size() == 1 ? "'" + alternatives.iterator().next() + "'"
                                : "(one of " + new TreeSet<>(alternatives) + ")")
                        + (freeForm != null && alternatives.contains(freeForm)
                                ? ", e.g. '" + module + ": <command line>'" : ""));
            }
        }
        return out;
    }

    /** Pulls out {@code key=value} tokens for declared names; returns the remaining text. */
    private String parseKeyValues(String module, String text, Map<String, Object> out, SourcePosition at,
            boolean all) throws ParseException {
        Matcher m = KV.matcher(text);
        StringBuilder rest = new StringBuilder();
        int last = 0;
        while (m.find()) {
            String key = m.group(1);
            if (!all && (!names.contains(key) || key.equals(freeForm))) continue;
            rest.append(text, last, m.start());
            String v = m.group(2);
            if (v.length() >= 2 && (v.startsWith("\"") || v.startsWith("'"))) v = v.substring(1, v.length() - 1);
            out.put(key, v);
            last = m.end();
        }
        rest.append(text.substring(last));
        if (all && !rest.toString().isBlank()) {
            throw new ParseException(at, "module '" + module + "' takes key=value arguments, found '"
                    + rest.toString().strip() + "'");
        }
        return rest.toString();
    }

    static List<Set<String>> requires(String... oneEach) {
        List<Set<String>> l = new ArrayList<>();
        for (String s : oneEach) l.add(Set.of(s.split("\\|")));
        return l;
    }
}

package dev.fleet.lookup;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** INI text as Python's configparser reads it with its defaults, for the ini lookup. */
final class IniParser {
    static final String DEFAULT = "DEFAULT";
    private static final Pattern SECTION = Pattern.compile("\\[(?<name>.+)]");
    private static final Pattern REFERENCE = Pattern.compile("%(%|\\(([^)]+)\\)s)");

    private IniParser() {}

    /** Sections by name, each mapping keys (lower-cased unless caseSensitive) to values (null: key alone). */
    static Map<String, Map<String, String>> parse(String text, String file, boolean caseSensitive, boolean allowNoValue)
            throws LookupException {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> current = null;
        String lastKey = null;
        int lineNo = 0;
        for (String line : text.split("\r\n|\n|\r", -1)) {
            lineNo++;
            String stripped = line.strip();
            boolean indented = !line.isEmpty() && Character.isWhitespace(line.charAt(0));
            if (stripped.isEmpty() || stripped.startsWith("#") || stripped.startsWith(";")) {
                if (stripped.isEmpty()) lastKey = null; // configparser ends a value at an empty line
                continue;
            }
            if (indented && lastKey != null && current != null && current.get(lastKey) != null) {
                current.put(lastKey, current.get(lastKey) + "\n" + stripped); // a continuation line
                continue;
            }
            Matcher m = SECTION.matcher(stripped);
            if (m.matches() && !indented) {
                String name = m.group("name");
                if (sections.containsKey(name)) {
                    throw new LookupException("Duplicate section '" + name + "' in " + file + " (line " + lineNo + ")");
                }
                current = new LinkedHashMap<>();
                sections.put(name, current);
                lastKey = null;
                continue;
            }
            if (current == null) {
                throw new LookupException(file + " line " + lineNo + ": a key before any [section] header");
            }
            int sep = firstOf(stripped, '=', ':');
            String key = (sep < 0 ? stripped : stripped.substring(0, sep)).strip();
            String value = sep < 0 ? null : stripped.substring(sep + 1).strip();
            if (value == null && !allowNoValue) {
                throw new LookupException(file + " line " + lineNo + ": '" + stripped
                        + "' has no value (pass allow_no_value=True to accept keys alone)");
            }
            if (!caseSensitive) key = key.toLowerCase();
            if (current.containsKey(key)) {
                throw new LookupException("Duplicate option in '" + file + "': option '" + key + "' in line " + lineNo
                        + " is already set in this section"
                        + (caseSensitive ? "" : " (keys ignore case unless case_sensitive=True)"));
            }
            current.put(key, value);
            lastKey = key;
        }
        return sections;
    }

    private static int firstOf(String s, char a, char b) {
        int i = s.indexOf(a), j = s.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    /** configparser's basic interpolation: {@code %%} is {@code %}, {@code %(key)s} another key's value. */
    static String interpolate(String value, Map<String, String> section, String file) throws LookupException {
        return interpolate(value, section, file, 0);
    }

    private static String interpolate(String value, Map<String, String> section, String file, int depth)
            throws LookupException {
        if (value.indexOf('%') < 0) return value;
        if (depth > 10) throw new LookupException(
                "interpolation in " + file + " nested too deeply near '" + value + "'");
        StringBuilder sb = new StringBuilder();
        Matcher m = REFERENCE.matcher(value);
        int at = 0;
        while (m.find()) {
            if (value.substring(at, m.start()).indexOf('%') >= 0) break;
            sb.append(value, at, m.start());
            if (m.group(1).equals("%")) {
                sb.append('%');
            } else {
                String ref = m.group(2).toLowerCase();
                String v = section.get(ref);
                if (v == null) throw new LookupException("in " + file + ", '" + value + "' refers to '" + ref
                        + "', which the section lacks");
                sb.append(interpolate(v, section, file, depth + 1));
            }
            at = m.end();
        }
        if (value.substring(at).indexOf('%') >= 0) {
            throw new LookupException("in " + file + ", '" + value + "' has a % that is not %% or %(key)s");
        }
        return sb.append(value.substring(at)).toString();
    }
}

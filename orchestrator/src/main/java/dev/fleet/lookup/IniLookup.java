package dev.fleet.lookup;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code ini}: values from a controller-side INI file found in {@code files/}, read as Python's configparser
 * reads it (which is what Ansible uses): {@code key = value} or {@code key: value}, keys case-insensitive
 * unless {@code case_sensitive}, indented lines continuing a value, {@code [DEFAULT]} inherited by every
 * section, {@code %(key)s} references. {@code type=properties} reads a Java properties file the same way.
 * Options: {@code file section default re type encoding case_sensitive allow_no_value}; a missing key gives
 * {@code default}, a missing section is an error.
 */
final class IniLookup implements Lookup {
    private static final Map<String, Object> DEFAULTS = Map.of("file", "ansible.ini", "section", "global",
            "default", "", "re", false, "type", "ini", "encoding", "utf-8", "case_sensitive", false,
            "allow_no_value", false);

    @Override
    public String name() {
        return "ini";
    }

    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options, LookupContext ctx)
            throws LookupException {
        List<Object> out = new ArrayList<>();
        for (Object term : terms) {
            Map<String, Object> o = new HashMap<>(DEFAULTS);
            for (var e : options.entrySet()) {
                o.put(e.getKey().equals("allow_none") ? "allow_no_value" : e.getKey(), e.getValue());
            }
            String key = inline(Terms.string(term, "ini"), o);
            for (String k : o.keySet()) {
                if (!DEFAULTS.containsKey(k)) throw new LookupException(k + " is not a valid option of the ini lookup;"
                        + " it takes " + String.join(", ", new java.util.TreeSet<>(DEFAULTS.keySet())));
            }
            boolean caseSensitive = Terms.bool(o.get("case_sensitive"), "case_sensitive");
            String file = String.valueOf(o.get("file"));
            Path path = ctx.find("files", file).filter(Files::isRegularFile).orElseThrow(() ->
                    new LookupException("could not locate file in lookup: " + file + " (searched "
                            + ctx.searchDirs() + ")"));
            String text = read(path, String.valueOf(o.get("encoding")));
            String type = String.valueOf(o.get("type"));
            String section = String.valueOf(o.get("section"));
            if (type.equals("properties")) {
                text = "[java_properties]\n" + text;
                section = "java_properties";
            } else if (!type.equals("ini")) {
                throw new LookupException("ini lookup type must be ini or properties, got '" + type + "'");
            }
            Map<String, Map<String, String>> sections = IniParser.parse(text, file, caseSensitive,
                    Terms.bool(o.get("allow_no_value"), "allow_no_value"));
            Map<String, String> values = sections.get(section);
            if (values == null) throw new LookupException("No section '" + section + "' in " + file);
            Map<String, String> withDefaults = new LinkedHashMap<>(sections.getOrDefault(IniParser.DEFAULT, Map.of()));
            withDefaults.putAll(values);
            if (Terms.bool(o.get("re"), "re")) {
                Pattern p;
                try {
                    p = Pattern.compile(key);
                } catch (PatternSyntaxException e) {
                    throw new LookupException("ini lookup key '" + key + "' is not a valid regular expression: "
                            + e.getDescription());
                }
                for (var e : withDefaults.entrySet()) {
                    if (p.matcher(e.getKey()).lookingAt()) {
                        out.add(IniParser.interpolate(e.getValue(), withDefaults, file));
                    }
                }
            } else {
                String k = caseSensitive ? key : key.toLowerCase();
                if (!withDefaults.containsKey(k)) {
                    if (o.get("default") != null) out.add(o.get("default"));
                } else if (withDefaults.get(k) != null) {
                    out.add(IniParser.interpolate(withDefaults.get(k), withDefaults, file));
                }
            }
        }
        return out;
    }

    /** The old inline form {@code 'user section=prod file=users.ini'}: options into o, the key returned. */
    private static String inline(String term, Map<String, Object> o) throws LookupException {
        if (!term.contains("=") && !term.strip().contains(" ")) return term;
        String key = null;
        for (String word : term.strip().split("\\s+")) {
            int eq = word.indexOf('=');
            if (eq >= 0) {
                String name = word.substring(0, eq);
                if (!DEFAULTS.containsKey(name)) throw new LookupException(name + " is not a valid option.");
                o.put(name, word.substring(eq + 1));
            } else if (key == null) {
                key = word;
            }
        }
        if (key == null) throw new LookupException(
                "No key to lookup was provided as first term with in string inline options: " + term);
        return key;
    }

    private static String read(Path path, String encoding) throws LookupException {
        try {
            FileLookup.checkSize(path, "ini: " + path.getFileName());
            return Files.readString(path, Charset.forName(encoding));
        } catch (IOException | IllegalArgumentException e) {
            throw new LookupException("could not read " + path + " as " + encoding + ": " + e.getMessage(), e);
        }
    }
}

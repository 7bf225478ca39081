package dev.fleet.playbook;

import static dev.fleet.playbook.YamlReads.conditions;
import static dev.fleet.playbook.YamlReads.optionalString;
import static dev.fleet.playbook.YamlReads.stringSet;
import static dev.fleet.playbook.YamlReads.varsMapping;

import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.YamlNode;
import dev.fleet.yaml.YamlNode.Mapping;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code - import_playbook: other.yml} at the top of a playbook: the other file's plays, parsed in its place, with
 * the import's {@code vars} over each play's own vars, its {@code when} before each task's conditions and its
 * {@code tags} on everything, as Ansible applies them.
 */
final class PlaybookImports {
    private PlaybookImports() {}

    static final Set<String> KEYS = Set.of("import_playbook", "ansible.builtin.import_playbook", "name", "vars",
            "when", "tags");

    /** What the imports leading to a playbook file give its plays, and the files on the way (for cycles). */
    record Context(Map<String, Object> vars, List<String> when, Set<String> tags, List<Path> files) {
        Context {
            vars = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(vars));
            when = List.copyOf(when);
            tags = Set.copyOf(tags);
            files = List.copyOf(files);
        }

        Context in(Path file) {
            List<Path> f = new ArrayList<>(files);
            f.add(file);
            return new Context(vars, when, tags, f);
        }

        Keywords taskKeywords() {
            return Keywords.builder().when(when).tags(tags).build();
        }

        Keywords handlerKeywords() {
            return Keywords.builder().tags(tags).build();
        }
    }

    static final Context TOP = new Context(Map.of(), List.of(), Set.of(), List.of());

    record Import(Path file, Context context) {}

    /** The import this top-level entry is, or null for a play. */
    static Import read(YamlNode node, Path dir, Context outer) throws ParseException {
        if (!(node instanceof Mapping m)) return null;
        String key = m.has("import_playbook") ? "import_playbook"
                : m.has("ansible.builtin.import_playbook") ? "ansible.builtin.import_playbook" : null;
        if (key == null) return null;
        for (String k : m.entries().keySet()) {
            if (!KEYS.contains(k)) {
                throw new ParseException(m.keyPosition(k), "'" + k + "' cannot be used with import_playbook;"
                        + " expected one of " + new TreeSet<>(KEYS) + " (play keywords belong in the imported file)");
            }
        }
        String name = optionalString(m, key);
        if (name == null || name.isBlank()) {
            throw new ParseException(m.get(key).position(), "import_playbook takes the path of a playbook file");
        }
        if (name.contains("{{")) {
            throw new ParseException(m.get(key).position(), "import_playbook is static: its file name cannot be"
                    + " templated (" + name + "); use a plain path");
        }
        Path file = dir.resolve(name).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new ParseException(m.get(key).position(), "playbook " + file + " not found (import_playbook paths"
                    + " are relative to the importing playbook's directory, " + dir + ")");
        }
        if (outer.files().contains(file)) {
            List<String> chain = new ArrayList<>();
            for (Path f : outer.files()) chain.add(f.getFileName().toString());
            chain.add(file.getFileName().toString());
            throw new ParseException(m.get(key).position(), "import_playbook cycle: " + String.join(" -> ", chain)
                    + "; a playbook cannot import itself, directly or through others");
        }
        // the outer import's vars win over this one's, as each import level overrides the plays beneath it
        Map<String, Object> vars = new LinkedHashMap<>(varsMapping(m, "vars"));
        vars.putAll(outer.vars());
        List<String> when = new ArrayList<>(outer.when());
        when.addAll(conditions(m, "when"));
        Set<String> tags = new LinkedHashSet<>(outer.tags());
        tags.addAll(stringSet(m, "tags"));
        return new Import(file, new Context(vars, when, tags, outer.files()).in(file));
    }
}

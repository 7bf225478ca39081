package dev.fleet.engine;

import dev.fleet.playbook.FileSearch;
import dev.fleet.playbook.Task;
import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.YamlLoader;
import dev.fleet.yaml.YamlNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * The {@code include_vars} action, run on the controller as Ansible runs it: a file found along the task's search
 * path (its role's {@code vars/} first), or every file of a directory (sorted, {@code depth}, {@code files_matching},
 * {@code ignore_files}, {@code extensions}), optionally nested under {@code name}. The result carries the variables
 * as {@code ansible_facts}; the engine keeps them per host below set_fact, where Ansible ranks them.
 */
final class IncludeVars {
    private IncludeVars() {}

    /**
     * @param vars the task's variables: with {@code hash_behaviour: merge}, loaded mappings are merged into the
     *             values of the same name, recursively, as Ansible's combine does
     */
    static TaskOutcome run(Task task, Map<String, Object> args, List<Path> searchPath, Map<String, Object> vars) {
        List<String> extensions = strings(args.get("extensions"), List.of("yaml", "yml", "json"));
        List<Path> included = new ArrayList<>();
        Map<String, Object> results = new LinkedHashMap<>();
        try {
            if (args.get("dir") != null) {
                Path dir = dir(task, String.valueOf(args.get("dir")));
                if (!Files.isDirectory(dir)) {
                    return TaskOutcome.failed(dir + (Files.exists(dir) ? " is not a directory"
                            : " directory does not exist"));
                }
                String failure = loadDir(task, dir, args, extensions, included, results);
                // as Ansible, the files read before the failing one are reported (and nothing is set)
                if (failure != null) {
                    return TaskOutcome.failed(failure).withData(Map.of("ansible_included_var_files",
                            included.stream().map(Path::toString).toList()));
                }
            } else {
                String file = String.valueOf(args.get("file"));
                List<Path> tried = FileSearch.candidates(searchPath, "vars", file);
                Path found = tried.stream().filter(Files::isRegularFile).findFirst().orElse(null);
                if (found == null) {
                    return TaskOutcome.failed("Could not find or access '" + file + "'; looked in " + tried);
                }
                String failure = load(found, results, included);
                if (failure != null) return TaskOutcome.failed(failure);
            }
        } catch (ParseException e) {
            return TaskOutcome.failed(e.getMessage());
        }
        Object behaviour = args.get("hash_behaviour");
        if (behaviour != null && !List.of("merge", "replace").contains(String.valueOf(behaviour))) {
            return TaskOutcome.failed("hash_behaviour must be 'merge' or 'replace', found '" + behaviour + "'");
        }
        if ("merge".equals(String.valueOf(behaviour))) results.replaceAll((k, v) -> merge(vars.get(k), v));
        Map<String, Object> facts = results;
        if (args.get("name") != null) {
            facts = new LinkedHashMap<>();
            facts.put(String.valueOf(args.get("name")), results);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("ansible_facts", facts);
        data.put("ansible_included_var_files", included.stream().map(Path::toString).toList());
        return new TaskOutcome(TaskStatus.OK, null, "", "", "", data);
    }

    /** A relative directory is under the role's {@code vars/}, or beside the file the task is written in. */
    private static Path dir(Task task, String name) {
        Path p = Path.of(name);
        if (p.isAbsolute()) return p;
        if (task.role() != null) {
            Path role = task.role().path();
            if (p.getName(0).toString().equals("vars") && Files.exists(role.resolve(p))) return role.resolve(p);
            return role.resolve("vars").resolve(p);
        }
        Path taskFile = Path.of(task.position().file()).toAbsolutePath().getParent();
        return taskFile.resolve(p).normalize();
    }

    /** Ansible's walk: directories sorted by path, {@code depth} counting directories walked, files sorted. */
    private static String loadDir(Task task, Path dir, Map<String, Object> args, List<String> extensions,
            List<Path> included, Map<String, Object> results) throws ParseException {
        int depth = args.get("depth") == null ? 0 : Integer.parseInt(String.valueOf(args.get("depth")).strip());
        boolean ignoreUnknown = truthy(args.get("ignore_unknown_extensions"));
        List<String> ignore = strings(args.get("ignore_files"), List.of());
        Pattern matching;
        try {
            Object m = args.get("files_matching");
            matching = m == null ? null : Pattern.compile(String.valueOf(m));
        } catch (PatternSyntaxException e) {
            return "invalid files_matching regular expression: " + e.getMessage();
        }
        List<Path> dirs;
        try (Stream<Path> s = Files.walk(dir)) {
            dirs = s.filter(Files::isDirectory).sorted((a, b) -> a.toString().compareTo(b.toString())).toList();
        } catch (IOException e) {
            return "cannot read " + dir + ": " + e.getMessage();
        }
        int walked = 0;
        for (Path d : dirs) {
            if (depth != 0 && ++walked > depth) break;
            List<Path> files;
            try (Stream<Path> s = Files.list(d)) {
                files = s.filter(Files::isRegularFile).sorted((a, b) -> a.getFileName().toString()
                        .compareTo(b.getFileName().toString())).toList();
            } catch (IOException e) {
                return "cannot read " + d + ": " + e.getMessage();
            }
            for (Path f : files) {
                String name = f.getFileName().toString();
                // a role's vars/main.yml is already the role's vars
                if (task.role() != null && f.equals(task.role().path().resolve("vars").resolve("main.yml"))) continue;
                if (matching != null && !matching.matcher(name).find()) continue;
                if (ignored(name, ignore)) continue;
                if (!extensions.contains(extension(name))) {
                    if (ignoreUnknown) continue;
                    return f + " does not have a valid extension: " + String.join(", ", extensions);
                }
                String failure = load(f, results, included);
                if (failure != null) return failure;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static String load(Path file, Map<String, Object> into, List<Path> included) throws ParseException {
        YamlNode n = YamlLoader.load(file);
        Object plain = n == null ? null : n.toPlain();
        if (plain == null) plain = Map.of();
        if (!(plain instanceof Map<?, ?> m)) return file + " must be stored as a dictionary/hash";
        included.add(file);
        into.putAll((Map<String, Object>) m);
        return null;
    }

    /** Ansible's recursive combine: mappings merge key by key, anything else is replaced. */
    private static Object merge(Object old, Object value) {
        if (!(old instanceof Map<?, ?> o) || !(value instanceof Map<?, ?> v)) return value;
        Map<String, Object> out = new LinkedHashMap<>();
        o.forEach((k, x) -> out.put(String.valueOf(k), x));
        v.forEach((k, x) -> out.put(String.valueOf(k), merge(out.get(String.valueOf(k)), x)));
        return out;
    }

    private static boolean ignored(String name, List<String> patterns) {
        for (String p : patterns) if (Pattern.compile(p + "$").matcher(name).find()) return true;
        return false;
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? "" : name.substring(dot + 1);
    }

    private static List<String> strings(Object v, List<String> dflt) {
        if (v == null) return dflt;
        if (v instanceof List<?> l) return l.stream().map(String::valueOf).toList();
        return List.of(String.valueOf(v).split("\\s+"));
    }

    private static boolean truthy(Object v) {
        return v != null && List.of("true", "yes", "on", "1").contains(String.valueOf(v).strip().toLowerCase());
    }
}

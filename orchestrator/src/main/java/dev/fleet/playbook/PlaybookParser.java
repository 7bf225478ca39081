package dev.fleet.playbook;

import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.SourcePosition;
import dev.fleet.yaml.YamlLoader;
import dev.fleet.yaml.YamlNode;
import dev.fleet.yaml.YamlNode.Mapping;
import dev.fleet.yaml.YamlNode.Scalar;
import dev.fleet.yaml.YamlNode.Sequence;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns playbook YAML into {@link Playbook} records, checking everything that can be checked without a host:
 * structure, keywords, module names and arguments. Errors name {@code file:line:column} and what was expected.
 */
public final class PlaybookParser {

    /** Play keywords fleet implements. */
    static final Set<String> PLAY_KEYS = Set.of("name", "hosts", "vars", "tasks", "gather_facts", "strategy",
            "remote_user");
    /** Task keywords fleet implements; every other key must be a module. */
    static final Set<String> TASK_KEYS = Set.of("name", "args", "ignore_errors", "register");
    /** Ansible keywords fleet knows but does not implement yet: named in the error instead of "unknown". */
    static final Set<String> ANSIBLE_KEYS_NOT_YET = Set.of("when", "loop", "with_items", "notify", "handlers",
            "block", "rescue", "always", "become", "become_user", "tags", "changed_when", "failed_when", "until",
            "retries", "delay", "serial", "vars_files", "pre_tasks", "post_tasks", "roles", "no_log",
            "delegate_to", "run_once", "environment", "any_errors_fatal", "max_fail_percentage", "throttle",
            "import_tasks", "include_tasks", "import_playbook", "check_mode", "diff", "connection");

    private final ModuleCatalog modules;

    public PlaybookParser(ModuleCatalog modules) {
        this.modules = modules;
    }

    public Playbook parse(Path file) throws ParseException {
        return parse(YamlLoader.load(file), file.toString());
    }

    public Playbook parse(String text, String fileName) throws ParseException {
        return parse(YamlLoader.load(text, fileName), fileName);
    }

    private Playbook parse(YamlNode root, String file) throws ParseException {
        if (root == null) {
            throw new ParseException(new SourcePosition(file, 1, 1), "the playbook is empty; expected a list of plays");
        }
        if (!(root instanceof Sequence plays)) {
            throw new ParseException(root.position(), "a playbook must be a list of plays (each starting with"
                    + " '- hosts: ...'), found a " + root.kind());
        }
        if (plays.items().isEmpty()) throw new ParseException(root.position(), "the playbook has no plays");
        List<Play> out = new ArrayList<>();
        for (YamlNode p : plays.items()) out.add(parsePlay(p));
        return new Playbook(file, out);
    }

    private Play parsePlay(YamlNode node) throws ParseException {
        Mapping play = mapping(node, "a play (a mapping with 'hosts' and 'tasks')");
        checkKeys(play, PLAY_KEYS, "play");
        if (!play.has("hosts")) {
            throw new ParseException(play.position(), "this play has no 'hosts'; add e.g. 'hosts: all'");
        }
        String hosts = hostsPattern(play.get("hosts"));
        String name = optionalString(play, "name");
        Map<String, Object> vars = varsMapping(play, "vars");
        boolean gather = optionalBool(play, "gather_facts", false);
        Play.Strategy strategy = Play.Strategy.LINEAR;
        String s = optionalString(play, "strategy");
        if (s != null) {
            strategy = switch (s) {
                case "linear" -> Play.Strategy.LINEAR;
                case "free" -> Play.Strategy.FREE;
                default -> throw new ParseException(play.get("strategy").position(),
                        "unknown strategy '" + s + "'; expected linear or free");
            };
        }
        List<Task> tasks = new ArrayList<>();
        YamlNode t = play.get("tasks");
        if (t != null && !(t instanceof Scalar sc && sc.isNull())) {
            if (!(t instanceof Sequence seq)) {
                throw new ParseException(t.position(), "'tasks' must be a list of tasks, found a " + t.kind());
            }
            for (YamlNode item : seq.items()) tasks.add(parseTask(item));
        }
        return new Play(name, hosts, vars, tasks, strategy, gather, optionalString(play, "remote_user"),
                play.position());
    }

    private Task parseTask(YamlNode node) throws ParseException {
        Mapping task = mapping(node, "a task (a mapping with a module, e.g. '- command: uptime')");
        String moduleKey = null;
        for (String key : task.entries().keySet()) {
            if (TASK_KEYS.contains(key)) continue;
            SourcePosition kp = task.keyPosition(key);
            if (ANSIBLE_KEYS_NOT_YET.contains(key)) {
                throw new ParseException(kp, "task keyword '" + key + "' is not supported by fleet yet");
            }
            if (modules.canonicalName(key).isEmpty()) {
                throw new ParseException(kp, "unknown module or task keyword '" + key + "'; expected a module ("
                        + String.join(", ", new TreeSet<>(modules.names())) + ") or one of the task keywords "
                        + new TreeSet<>(TASK_KEYS));
            }
            if (moduleKey != null) {
                throw new ParseException(kp, "a task has exactly one module, found both '" + moduleKey + "' and '"
                        + key + "'; split them into two tasks");
            }
            moduleKey = key;
        }
        if (moduleKey == null) {
            throw new ParseException(task.position(), "this task names no module; add one, e.g. 'command: uptime'");
        }
        String module = modules.canonicalName(moduleKey).orElseThrow();
        Map<String, Object> extra = varsMapping(task, "args");
        YamlNode raw = task.get(moduleKey);
        if (raw instanceof Sequence seq) {
            throw new ParseException(seq.position(), "arguments of '" + moduleKey
                    + "' must be a string or a mapping, found a list");
        }
        Map<String, Object> args = modules.normalizeArgs(module, raw.toPlain(), extra, task.keyPosition(moduleKey));
        String register = optionalString(task, "register");
        if (register != null && !register.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new ParseException(task.get("register").position(),
                    "'register' must be a variable name (letters, digits, _), found '" + register + "'");
        }
        return new Task(optionalString(task, "name"), module, args, optionalBool(task, "ignore_errors", false),
                register, task.position());
    }

    // ---- small typed readers, each with a precise error ----

    private static Mapping mapping(YamlNode node, String what) throws ParseException {
        if (node instanceof Mapping m) return m;
        throw new ParseException(node.position(), "expected " + what + ", found a " + node.kind()
                + (node instanceof Scalar s && s.value() != null ? " '" + s.text() + "'" : ""));
    }

    private static void checkKeys(Mapping m, Set<String> allowed, String what) throws ParseException {
        for (String key : m.entries().keySet()) {
            if (allowed.contains(key)) continue;
            SourcePosition kp = m.keyPosition(key);
            if (ANSIBLE_KEYS_NOT_YET.contains(key)) {
                throw new ParseException(kp, what + " keyword '" + key + "' is not supported by fleet yet");
            }
            throw new ParseException(kp, "unknown " + what + " keyword '" + key + "'; expected one of "
                    + new TreeSet<>(allowed));
        }
    }

    private static String hostsPattern(YamlNode node) throws ParseException {
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

    private static String optionalString(Mapping m, String key) throws ParseException {
        YamlNode n = m.get(key);
        if (n == null || (n instanceof Scalar s && s.isNull())) return null;
        if (n instanceof Scalar s) return String.valueOf(s.value());
        throw new ParseException(n.position(), "'" + key + "' must be a string, found a " + n.kind());
    }

    private static boolean optionalBool(Mapping m, String key, boolean dflt) throws ParseException {
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
    private static Map<String, Object> varsMapping(Mapping m, String key) throws ParseException {
        YamlNode n = m.get(key);
        if (n == null || (n instanceof Scalar s && s.isNull())) return new LinkedHashMap<>();
        if (n instanceof Mapping map) return (Map<String, Object>) map.toPlain();
        throw new ParseException(n.position(), "'" + key + "' must be a mapping of names to values, found a "
                + n.kind());
    }
}

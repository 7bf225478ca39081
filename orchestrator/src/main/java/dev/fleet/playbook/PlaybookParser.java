package dev.fleet.playbook;

import dev.fleet.vault.Vault;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns playbook YAML into {@link Playbook} records, checking everything that can be checked without a host:
 * structure, keywords, module names and arguments, handler names. Errors name {@code file:line:column} and
 * what was expected.
 */
public final class PlaybookParser {

    /** Play keywords fleet implements. */
    static final Set<String> PLAY_KEYS = Set.of("name", "hosts", "vars", "vars_files", "tasks", "pre_tasks",
            "post_tasks", "handlers", "gather_facts", "strategy", "remote_user", "become", "become_user", "tags",
            "no_log", "ignore_errors", "serial", "max_fail_percentage", "any_errors_fatal");
    /** Keywords a block may carry, passed down to its tasks. */
    static final Set<String> BLOCK_KEYS = Set.of("name", "block", "rescue", "always", "when", "tags", "become",
            "become_user", "ignore_errors", "no_log", "vars");
    /** Task keywords fleet implements; every other key must be a module. */
    static final Set<String> TASK_KEYS = Set.of("name", "args", "when", "loop", "with_items", "with_list",
            "loop_control", "register", "ignore_errors", "changed_when", "failed_when", "until", "retries", "delay",
            "notify", "tags", "become", "become_user", "no_log", "vars", "listen", "throttle", "run_once",
            "delegate_to");
    /** Ansible keywords fleet knows but does not implement yet: named in the error instead of "unknown". */
    static final Set<String> ANSIBLE_KEYS_NOT_YET = Set.of("roles", "environment", "import_tasks", "include_tasks",
            "import_playbook", "include_role", "import_role", "check_mode", "diff", "connection", "async", "poll",
            "with_dict", "with_fileglob", "with_nested", "with_together", "become_method", "module_defaults",
            "collections", "order", "force_handlers", "local_action", "delegate_facts");
    static final Set<String> META_ACTIONS = Set.of("flush_handlers", "noop", "end_host", "end_play");

    private final ModuleCatalog modules;

    private final Vault vault;

    public PlaybookParser(ModuleCatalog modules) {
        this(modules, Vault.NONE);
    }

    /** A parser that reads vaulted playbooks, vars_files and {@code !vault} values with {@code vault}. */
    public PlaybookParser(ModuleCatalog modules, Vault vault) {
        this.modules = modules;
        this.vault = vault;
    }

    public Playbook parse(Path file) throws ParseException {
        return new Session(file.toAbsolutePath().getParent()).parse(YamlLoader.load(file, vault), file.toString());
    }

    public Playbook parse(String text, String fileName) throws ParseException {
        Path dir = Path.of(fileName).toAbsolutePath().getParent();
        return new Session(dir).parse(YamlLoader.load(text, fileName, vault), fileName);
    }

    /** One parse: remembers the playbook's directory for vars_files. */
    private final class Session {
        final Path dir;

        Session(Path dir) {
            this.dir = dir;
        }

        Playbook parse(YamlNode root, String file) throws ParseException {
            if (root == null) {
                throw new ParseException(new SourcePosition(file, 1, 1),
                        "the playbook is empty; expected a list of plays");
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

        Play parsePlay(YamlNode node) throws ParseException {
            Mapping play = mapping(node, "a play (a mapping with 'hosts' and 'tasks')");
            checkKeys(play, PLAY_KEYS, "play");
            if (!play.has("hosts")) {
                throw new ParseException(play.position(), "this play has no 'hosts'; add e.g. 'hosts: all'");
            }
            String hosts = hostsPattern(play.get("hosts"));
            Map<String, Object> vars = varsMapping(play, "vars");
            vars.putAll(varsFiles(play));
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
            Keywords playKeywords = new Keywords(List.of(), null, "item", null,
                    optionalBool(play, "ignore_errors", false), List.of(), List.of(), List.of(), 3, 5, List.of(),
                    stringSet(play, "tags"), optionalBoolean(play, "become"), optionalString(play, "become_user"),
                    optionalBool(play, "no_log", false), Map.of(), List.of(), 0, false, null);

            List<Task> handlers = new ArrayList<>();
            for (TaskItem h : taskList(play, "handlers", playKeywords)) {
                if (!(h instanceof Task t)) {
                    throw new ParseException(h.position(), "handlers must be tasks, not blocks");
                }
                handlers.add(t);
            }
            Set<String> topics = new LinkedHashSet<>();
            for (Task h : handlers) {
                if (h.name() != null) topics.add(h.name());
                topics.addAll(h.keywords().listen());
            }
            List<TaskItem> tasks = new ArrayList<>();
            List<TaskItem> pre = taskList(play, "pre_tasks", playKeywords);
            tasks.addAll(pre);
            // Ansible flushes handlers after each of pre_tasks, tasks and post_tasks.
            if (!pre.isEmpty()) tasks.add(flush(play.keyPosition("pre_tasks")));
            List<TaskItem> main = taskList(play, "tasks", playKeywords);
            tasks.addAll(main);
            List<TaskItem> post = taskList(play, "post_tasks", playKeywords);
            if (!post.isEmpty()) {
                tasks.add(flush(play.keyPosition("post_tasks")));
                tasks.addAll(post);
            }
            checkNotify(tasks, topics);
            checkNotify(new ArrayList<>(handlers), topics);
            return new Play(optionalString(play, "name"), hosts, vars, tasks, handlers, strategy,
                    optionalBool(play, "gather_facts", true), optionalString(play, "remote_user"), rolling(play),
                    play.position());
        }

        private Play.Rolling rolling(Mapping play) throws ParseException {
            List<String> serial = new ArrayList<>();
            YamlNode n = play.get("serial");
            if (n != null && !(n instanceof Scalar sc && sc.isNull())) {
                for (YamlNode item : n instanceof Sequence seq ? seq.items() : List.of(n)) {
                    String v = item instanceof Scalar sc && sc.value() != null ? String.valueOf(sc.value()).strip() : "";
                    if (!v.matches("\\d+|\\d+(\\.\\d+)?%")) {
                        throw new ParseException(item.position(), "'serial' takes a number of hosts, a percentage "
                                + "such as \"25%\", or a list of them, found '" + v + "'");
                    }
                    serial.add(v);
                }
            }
            Integer maxFail = null;
            if (play.has("max_fail_percentage")) {
                maxFail = optionalInt(play, "max_fail_percentage", 0);
                if (maxFail < 0 || maxFail > 100) {
                    throw new ParseException(play.get("max_fail_percentage").position(),
                            "'max_fail_percentage' must be between 0 and 100");
                }
            }
            return new Play.Rolling(serial, maxFail, optionalBool(play, "any_errors_fatal", false));
        }

        private Task flush(SourcePosition at) {
            return new Task("flush handlers", "meta", Map.of("_raw_params", "flush_handlers"), Keywords.NONE, at);
        }

        private void checkNotify(List<TaskItem> items, Set<String> topics) throws ParseException {
            for (TaskItem i : items) {
                switch (i) {
                    case Task t -> {
                        for (String n : t.keywords().notifies()) {
                            if (!topics.contains(n)) {
                                throw new ParseException(t.position(), "task notifies '" + n + "', but the play has"
                                        + " no handler of that name or 'listen' topic; handlers: " + topics);
                            }
                        }
                    }
                    case Block b -> {
                        checkNotify(b.block(), topics);
                        checkNotify(b.rescue(), topics);
                        checkNotify(b.always(), topics);
                    }
                }
            }
        }

        @SuppressWarnings("unchecked")
        private Map<String, Object> varsFiles(Mapping play) throws ParseException {
            Map<String, Object> out = new LinkedHashMap<>();
            YamlNode n = play.get("vars_files");
            if (n == null || (n instanceof Scalar sc && sc.isNull())) return out;
            List<YamlNode> items = n instanceof Sequence seq ? seq.items() : List.of(n);
            for (YamlNode item : items) {
                if (!(item instanceof Scalar sc) || sc.value() == null) {
                    throw new ParseException(item.position(), "vars_files entries must be file paths");
                }
                String path = String.valueOf(sc.value());
                if (path.contains("{{")) {
                    throw new ParseException(item.position(), "templated vars_files paths are not supported yet;"
                            + " use a plain path or -e @file.yml");
                }
                Path p = dir.resolve(path);
                YamlNode vars;
                try {
                    vars = YamlLoader.load(p, vault);
                } catch (ParseException e) {
                    if (!java.nio.file.Files.exists(p)) {
                        throw new ParseException(item.position(), "vars file " + p + " not found");
                    }
                    throw e;
                }
                if (vars == null) continue;
                if (!(vars instanceof Mapping m)) {
                    throw new ParseException(vars.position(), "a vars file must hold a mapping of names to values");
                }
                out.putAll((Map<String, Object>) m.toPlain());
            }
            return out;
        }

        List<TaskItem> taskList(Mapping owner, String key, Keywords inherited) throws ParseException {
            List<TaskItem> out = new ArrayList<>();
            YamlNode t = owner.get(key);
            if (t == null || (t instanceof Scalar sc && sc.isNull())) return out;
            if (!(t instanceof Sequence seq)) {
                throw new ParseException(t.position(), "'" + key + "' must be a list of tasks, found a " + t.kind());
            }
            for (YamlNode item : seq.items()) out.add(parseItem(item, inherited));
            return out;
        }

        TaskItem parseItem(YamlNode node, Keywords inherited) throws ParseException {
            Mapping m = mapping(node, "a task (a mapping with a module, e.g. '- command: uptime')");
            if (m.has("block")) return parseBlock(m, inherited);
            if (m.has("rescue") || m.has("always")) {
                throw new ParseException(m.position(), "'rescue' and 'always' belong to a 'block'; add 'block:'");
            }
            return parseTask(m, inherited);
        }

        Block parseBlock(Mapping m, Keywords inherited) throws ParseException {
            checkKeys(m, BLOCK_KEYS, "block");
            Keywords own = new Keywords(conditions(m, "when"), null, "item", null,
                    optionalBool(m, "ignore_errors", false), List.of(), List.of(), List.of(), 3, 5, List.of(),
                    stringSet(m, "tags"), optionalBoolean(m, "become"), optionalString(m, "become_user"),
                    optionalBool(m, "no_log", false), varsMapping(m, "vars"), List.of(), 0, false, null);
            Keywords k = own.inheriting(inherited);
            List<TaskItem> block = taskList(m, "block", k);
            if (block.isEmpty()) throw new ParseException(m.keyPosition("block"), "'block' has no tasks");
            return new Block(optionalString(m, "name"), block, taskList(m, "rescue", k), taskList(m, "always", k),
                    m.position());
        }

        Task parseTask(Mapping task, Keywords inherited) throws ParseException {
            String moduleKey = null;
            for (String key : task.entries().keySet()) {
                if (TASK_KEYS.contains(key)) continue;
                SourcePosition kp = task.keyPosition(key);
                if (ANSIBLE_KEYS_NOT_YET.contains(key)) {
                    throw new ParseException(kp, "task keyword '" + key + "' is not supported by fleet yet");
                }
                if (!key.equals("meta") && !key.equals("ansible.builtin.meta")
                        && modules.canonicalName(key).isEmpty()) {
                    throw new ParseException(kp, "unknown module or task keyword '" + key + "'; expected a module ("
                            + String.join(", ", new TreeSet<>(modules.names())) + ") or one of the task keywords "
                            + new TreeSet<>(TASK_KEYS));
                }
                if (moduleKey != null) {
                    throw new ParseException(kp, "a task has exactly one module, found both '" + moduleKey
                            + "' and '" + key + "'; split them into two tasks");
                }
                moduleKey = key;
            }
            if (moduleKey == null) {
                throw new ParseException(task.position(), "this task names no module; add one, e.g. 'command: uptime'");
            }
            Keywords k = taskKeywords(task).inheriting(inherited);
            YamlNode raw = task.get(moduleKey);
            if (moduleKey.endsWith("meta")) {
                String action = raw instanceof Scalar sc && sc.value() != null ? String.valueOf(sc.value()) : "";
                if (!META_ACTIONS.contains(action)) {
                    throw new ParseException(raw.position(), "meta action '" + action + "' is not supported; expected "
                            + "one of " + new TreeSet<>(META_ACTIONS));
                }
                return new Task(optionalString(task, "name"), "meta", Map.of("_raw_params", action), k,
                        task.position());
            }
            String module = modules.canonicalName(moduleKey).orElseThrow();
            Map<String, Object> extra = varsMapping(task, "args");
            if (raw instanceof Sequence seq) {
                throw new ParseException(seq.position(), "arguments of '" + moduleKey
                        + "' must be a string or a mapping, found a list");
            }
            Map<String, Object> args = modules.normalizeArgs(module, raw.toPlain(), extra, task.keyPosition(moduleKey));
            return new Task(optionalString(task, "name"), module, args, k, task.position());
        }

        Keywords taskKeywords(Mapping task) throws ParseException {
            String register = optionalString(task, "register");
            if (register != null && !register.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new ParseException(task.get("register").position(),
                        "'register' must be a variable name (letters, digits, _), found '" + register + "'");
            }
            Object loop = null;
            for (String key : List.of("loop", "with_items", "with_list")) {
                if (!task.has(key)) continue;
                if (loop != null) {
                    throw new ParseException(task.keyPosition(key), "a task has one loop; found more than one of "
                            + "loop, with_items, with_list");
                }
                YamlNode n = task.get(key);
                loop = n.toPlain();
                if (loop == null) loop = List.of();
                if (!(loop instanceof List) && !(loop instanceof String)) {
                    throw new ParseException(n.position(), "'" + key + "' must be a list or a template that gives"
                            + " a list, found a " + n.kind());
                }
                // with_items flattens one level, as in Ansible
                if (key.equals("with_items") && loop instanceof List<?> l) {
                    List<Object> flat = new ArrayList<>();
                    for (Object o : l) {
                        if (o instanceof List<?> inner) flat.addAll(inner); else flat.add(o);
                    }
                    loop = flat;
                }
            }
            String loopVar = "item";
            YamlNode lc = task.get("loop_control");
            if (lc != null) {
                if (!(lc instanceof Mapping lcm)) {
                    throw new ParseException(lc.position(), "'loop_control' must be a mapping");
                }
                for (String key : lcm.entries().keySet()) {
                    if (!Set.of("loop_var", "label", "index_var", "pause").contains(key)) {
                        throw new ParseException(lcm.keyPosition(key), "unknown loop_control option '" + key
                                + "'; expected loop_var, label, index_var or pause");
                    }
                }
                String lv = optionalString(lcm, "loop_var");
                if (lv != null) loopVar = lv;
            }
            int retries = optionalInt(task, "retries", 3);
            int delay = optionalInt(task, "delay", 5);
            if (retries < 0 || retries > 10000) {
                throw new ParseException(task.get("retries").position(), "'retries' must be between 0 and 10000");
            }
            if (delay < 0 || delay > 86400) {
                throw new ParseException(task.get("delay").position(), "'delay' must be between 0 and 86400 seconds");
            }
            // retries/delay only matter with until, as in Ansible before 2.16.
            List<String> until = conditions(task, "until");
            int throttle = optionalInt(task, "throttle", 0);
            if (throttle < 0) throw new ParseException(task.get("throttle").position(), "'throttle' must be >= 0");
            String delegate = optionalString(task, "delegate_to");
            if (delegate != null && !Set.of("localhost", "127.0.0.1", "::1").contains(delegate)) {
                throw new ParseException(task.get("delegate_to").position(), "delegate_to supports only localhost "
                        + "(the controller) for now, found '" + delegate + "'");
            }
            return new Keywords(conditions(task, "when"), loop, loopVar, register,
                    optionalBool(task, "ignore_errors", false), conditions(task, "changed_when"),
                    conditions(task, "failed_when"), until, retries, delay, stringList(task, "notify"),
                    stringSet(task, "tags"), optionalBoolean(task, "become"), optionalString(task, "become_user"),
                    optionalBool(task, "no_log", false), varsMapping(task, "vars"), stringList(task, "listen"),
                    throttle, optionalBool(task, "run_once", false), delegate);
        }
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

    /** A condition or list of conditions; YAML booleans become "True"/"False" so they evaluate as written. */
    private static List<String> conditions(Mapping m, String key) throws ParseException {
        List<String> out = new ArrayList<>();
        for (Scalar s : scalars(m, key, "a condition (a string such as \"result.rc != 0\") or a list of them")) {
            String c = s.value() instanceof Boolean b ? (b ? "True" : "False") : String.valueOf(s.value()).strip();
            if (c.startsWith("{{") && c.endsWith("}}")) c = c.substring(2, c.length() - 2).strip();
            if (c.isEmpty()) throw new ParseException(s.position(), "'" + key + "' is an empty condition");
            out.add(c);
        }
        return out;
    }

    private static List<String> stringList(Mapping m, String key) throws ParseException {
        List<String> out = new ArrayList<>();
        for (Scalar s : scalars(m, key, "a string or a list of strings")) out.add(String.valueOf(s.value()));
        return out;
    }

    /** The non-null scalar, or the list of them, under {@code key}; anything else is an error naming {@code what}. */
    private static List<Scalar> scalars(Mapping m, String key, String what) throws ParseException {
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

    private static Set<String> stringSet(Mapping m, String key) throws ParseException {
        Set<String> out = new LinkedHashSet<>();
        for (String s : stringList(m, key)) {
            for (String part : s.split(",")) if (!part.isBlank()) out.add(part.strip());
        }
        return out;
    }

    private static String optionalString(Mapping m, String key) throws ParseException {
        YamlNode n = m.get(key);
        if (n == null || (n instanceof Scalar s && s.isNull())) return null;
        if (n instanceof Scalar s) return String.valueOf(s.value());
        throw new ParseException(n.position(), "'" + key + "' must be a string, found a " + n.kind());
    }

    private static int optionalInt(Mapping m, String key, int dflt) throws ParseException {
        YamlNode n = m.get(key);
        if (n == null || (n instanceof Scalar s && s.isNull())) return dflt;
        if (n instanceof Scalar s && s.value() instanceof Integer i) return i;
        throw new ParseException(n.position(), "'" + key + "' must be a whole number");
    }

    private static Boolean optionalBoolean(Mapping m, String key) throws ParseException {
        return m.has(key) ? optionalBool(m, key, false) : null;
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

package dev.fleet.playbook;

import static dev.fleet.playbook.YamlReads.checkKeys;
import static dev.fleet.playbook.YamlReads.hostsPattern;
import static dev.fleet.playbook.YamlReads.mapping;
import static dev.fleet.playbook.YamlReads.optionalBool;
import static dev.fleet.playbook.YamlReads.optionalInt;
import static dev.fleet.playbook.YamlReads.optionalString;
import static dev.fleet.playbook.YamlReads.varsMapping;

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
            "no_log", "ignore_errors", "serial", "max_fail_percentage", "any_errors_fatal", "check_mode", "diff",
            "environment", "order", "force_handlers", "collections", "become_method", "become_flags", "connection",
            "throttle", "run_once", "roles", "module_defaults", "timeout", "ignore_unreachable");
    /** Keywords a block may carry, passed down to its tasks. */
    static final Set<String> BLOCK_KEYS = Set.of("name", "block", "rescue", "always", "when", "tags", "become",
            "become_user", "ignore_errors", "no_log", "vars", "check_mode", "diff", "environment", "notify",
            "run_once", "delegate_to", "throttle", "become_method", "become_flags", "collections", "connection",
            "any_errors_fatal", "delegate_facts", "module_defaults", "timeout", "ignore_unreachable",
            "rescue_unreachable");
    /** fleet's block keyword: an unreachable host in the block section runs the rescue (only blocks carry it). */
    static final String RESCUE_UNREACHABLE = "rescue_unreachable";
    /** Task keywords fleet implements; every other key must be a module. */
    static final Set<String> TASK_KEYS = Set.of("name", "args", "when", "loop", "loop_control", "register",
            "ignore_errors", "changed_when", "failed_when", "until", "retries", "delay", "notify", "tags", "become",
            "become_user", "no_log", "vars", "listen", "throttle", "run_once", "delegate_to", "check_mode", "diff",
            "environment", "become_method", "become_flags", "collections", "connection", "any_errors_fatal",
            "local_action", "delegate_facts", "async", "poll", "module_defaults", "timeout", "ignore_unreachable");
    /** Ansible keywords fleet knows but does not implement yet: named in the error instead of "unknown". */
    static final Set<String> ANSIBLE_KEYS_NOT_YET = Set.of("async_status");
    /** The engine-run action that includes a task file per host ({@code include_tasks}; old-style {@code include}). */
    public static final String INCLUDE = "include_tasks";
    /** The engine-run action that includes a role per host ({@code include_role}). */
    public static final String INCLUDE_ROLE = "include_role";
    static final Set<String> INCLUDE_TASKS = Set.of("include_tasks", "ansible.builtin.include_tasks",
            "ansible.legacy.include_tasks", "include", "ansible.builtin.include");
    static final Set<String> META_ACTIONS = Set.of("flush_handlers", "noop", "end_host", "end_play", "end_batch",
            "clear_host_errors", "clear_facts", "reset_connection", "refresh_inventory");

    private final ModuleCatalog modules;
    private final Set<String> strategies;
    private final List<Path> rolesPath;
    private final Vault vault;

    /** The strategy of a play that names none, as in Ansible. */
    public static final String DEFAULT_STRATEGY = "linear";

    /**
     * A parser that checks strategy names against {@code strategies} (the engine's registry), so an unknown one
     * is a parse error before any host is touched.
     */
    public PlaybookParser(ModuleCatalog modules, Set<String> strategies) {
        this(modules, strategies, List.of());
    }

    /**
     * As above; roles are looked for in {@code rolesPath} (Ansible's {@code roles_path}) after {@code roles/}
     * beside the playbook and before the playbook's own directory.
     */
    public PlaybookParser(ModuleCatalog modules, Set<String> strategies, List<Path> rolesPath) {
        this(modules, strategies, rolesPath, Vault.NONE);
    }

    /**
     * The parser runs use (see engine RunSetup): strategies and roles path as above; vaulted files and
     * {@code !vault} values are read with {@code vault}.
     */
    public PlaybookParser(ModuleCatalog modules, Set<String> strategies, List<Path> rolesPath, Vault vault) {
        this.modules = modules;
        this.strategies = strategies == null ? null : Set.copyOf(strategies);
        this.rolesPath = List.copyOf(rolesPath);
        this.vault = vault;
    }

    /** A parser that leaves strategy names to the engine (for tests of the playbook language alone). */
    public PlaybookParser(ModuleCatalog modules) {
        this(modules, null, List.of());
    }

    private static boolean isWithLoop(String key) {
        return KeywordReader.isWithLoop(key);
    }

    /**
     * Parses a file of tasks (an included task file), its tasks inheriting {@code inherited}. Used by the engine
     * for {@code include_tasks}, when a host reaches the include.
     */
    public List<TaskItem> parseTaskFile(Path file, Keywords inherited) throws ParseException {
        return parseTaskFile(file, inherited, null);
    }

    /** Like the above, for an include inside a role: the included tasks belong to {@code role} (its vars apply). */
    public List<TaskItem> parseTaskFile(Path file, Keywords inherited, RoleRef role) throws ParseException {
        YamlNode root = YamlLoader.load(file, vault);
        if (root == null) return List.of();
        if (!(root instanceof Sequence seq)) {
            throw new ParseException(root.position(), "a task file must hold a list of tasks, found a " + root.kind());
        }
        Path dir = file.toAbsolutePath().getParent();
        Session session = new Session(dir, PlaybookImports.TOP);
        TaskListParser.Scope scope = new TaskListParser.Scope(dir, dir, List.of(), role, new PlayRoles(), List.of());
        List<TaskItem> out = new ArrayList<>();
        for (YamlNode item : seq.items()) out.addAll(session.taskLists.parseItem(item, inherited, scope));
        return out;
    }

    public Playbook parse(Path file) throws ParseException {
        Path abs = file.toAbsolutePath().normalize();
        return new Session(abs.getParent(), PlaybookImports.TOP.in(abs)).parse(YamlLoader.load(file, vault),
                file.toString());
    }

    public Playbook parse(String text, String fileName) throws ParseException {
        Path abs = Path.of(fileName).toAbsolutePath().normalize();
        return new Session(abs.getParent(), PlaybookImports.TOP.in(abs))
                .parse(YamlLoader.load(text, fileName, vault), fileName);
    }

    /**
     * Loads the role a dynamic {@code include_role} names, when a host runs it: found from {@code playbookDir} and
     * the roles path, parsed with its dependencies, tasks, handlers and variables, its tasks under
     * {@code keywords}; {@code from} maps {@code tasks}/{@code vars}/{@code defaults}/{@code handlers} to the file
     * to read instead of main; errors point into the role's files, or at {@code at}. {@code vars} is the include's
     * own {@code vars:} (the role's, shared with the play only when public). The role runs again on every include
     * unless {@code allowDuplicates} is false (then not where an equal include ran). For an include written in a
     * role, that role ({@code parent}) is the one it is nested in: its variables are inherited, its directory is
     * where sibling roles are looked for.
     */
    public Role includeRole(String name, Map<String, Object> vars, Map<String, String> from, boolean allowDuplicates,
            Keywords keywords, Path playbookDir, RoleRef parent, SourcePosition at) throws ParseException {
        Session session = new Session(playbookDir, PlaybookImports.TOP);
        List<RoleLoader.Link> chain = parent == null ? List.of() : List.of(new RoleLoader.Link(parent.name(),
                parent.path(), parent.defaults(), parent.vars(), parent.params(), true));
        TaskListParser.Scope scope = new TaskListParser.Scope(playbookDir, playbookDir, chain, null,
                new PlayRoles(), List.of());
        RoleLoader.Spec spec = new RoleLoader.Spec(name, Map.of(), vars, from, allowDuplicates, true, Keywords.NONE,
                at, true);
        Role role = session.taskLists.roles.load(spec, keywords, scope);
        if (scope.play().importedHandlers.isEmpty()) return role;
        // roles the included role imports: their handlers come with it
        List<Task> handlers = new ArrayList<>(role.handlers());
        handlers.addAll(scope.play().importedHandlers);
        return new Role(role.ref(), role.tasks(), handlers, role.exportDefaults(), role.exportVars(),
                role.dependencies());
    }

    /**
     * One playbook file: remembers its directory (for vars_files, roles and imports) and the imports that led to
     * it, whose {@code vars}, {@code when} and {@code tags} its plays take on.
     */
    private final class Session {
        final Path dir;
        final PlaybookImports.Context imports;
        final TaskListParser taskLists;

        Session(Path dir, PlaybookImports.Context imports) {
            this.dir = dir;
            this.imports = imports;
            this.taskLists = new TaskListParser(this::parseTask, rolesPath, vault);
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
            for (YamlNode p : plays.items()) {
                PlaybookImports.Import imp = PlaybookImports.read(p, dir, imports);
                if (imp == null) {
                    out.add(parsePlay(p));
                } else {
                    out.addAll(new Session(imp.file().getParent(), imp.context())
                            .parse(YamlLoader.load(imp.file(), vault), imp.file().toString()).plays());
                }
            }
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
            vars.putAll(imports.vars()); // Ansible: the import's vars over the play's own, under its vars_files
            vars.putAll(varsFiles(play));
            String strategy = optionalString(play, "strategy");
            if (strategy == null) strategy = DEFAULT_STRATEGY;
            if (strategies != null && !strategies.contains(strategy)) {
                throw new ParseException(play.get("strategy").position(),
                        "unknown strategy '" + strategy + "'; expected one of " + strategies);
            }
            // an import_playbook's tags reach everything in the play, its 'when' only the tasks (not handlers)
            Keywords handlerKeywords = KeywordReader.play(play).inheriting(imports.handlerKeywords());
            Keywords playKeywords = KeywordReader.play(play).inheriting(imports.taskKeywords());
            PlayRoles roles = new PlayRoles();
            TaskListParser.Scope scope = new TaskListParser.Scope(dir, dir, List.of(), null, roles, List.of());

            List<TaskItem> tasks = new ArrayList<>();
            List<TaskItem> pre = taskList(play, "pre_tasks", playKeywords, scope);
            tasks.addAll(pre);
            // Ansible flushes handlers after each of pre_tasks, tasks and post_tasks; roles run before tasks.
            if (!pre.isEmpty()) tasks.add(flush(play.keyPosition("pre_tasks")));
            tasks.addAll(roles(play, playKeywords, scope));
            List<TaskItem> main = taskList(play, "tasks", playKeywords, scope);
            tasks.addAll(main);
            List<TaskItem> post = taskList(play, "post_tasks", playKeywords, scope);
            if (!post.isEmpty()) {
                tasks.add(flush(play.keyPosition("post_tasks")));
                tasks.addAll(post);
            }
            List<Task> handlers = new ArrayList<>(roles.roleHandlers);
            for (TaskItem h : taskList(play, "handlers", handlerKeywords, scope)) {
                handlers.add(TaskListParser.handler(h));
            }
            handlers.addAll(roles.importedHandlers);
            Set<String> topics = new LinkedHashSet<>();
            for (Task h : handlers) topics.addAll(h.handlerTopics());
            topics.addAll(roles.includedTopics);
            if (!roles.topicsUnknown) { // a role named by a template brings handlers known only when it is included
                checkNotify(tasks, topics);
                checkNotify(new ArrayList<>(handlers), topics);
            }
            String order = optionalString(play, "order");
            if (order == null) order = "inventory";
            if (!Play.ORDERS.contains(order)) {
                throw new ParseException(play.get("order").position(), "unknown order '" + order + "'; expected one of "
                        + new TreeSet<>(Play.ORDERS));
            }
            return new Play(optionalString(play, "name"), hosts, vars, tasks, handlers, strategy,
                    optionalBool(play, "gather_facts", true), optionalString(play, "remote_user"), rolling(play),
                    order, optionalBool(play, "force_handlers", false),
                    play.position(), roles.summary());
        }

        /** The play's {@code roles:}, loaded and compiled into the tasks they run. */
        private List<TaskItem> roles(Mapping play, Keywords playKeywords, TaskListParser.Scope scope)
                throws ParseException {
            List<TaskItem> out = new ArrayList<>();
            YamlNode n = play.get("roles");
            if (n == null || (n instanceof Scalar sc && sc.isNull())) return out;
            if (!(n instanceof Sequence seq)) {
                throw new ParseException(n.position(), "'roles' must be a list of roles, found a " + n.kind());
            }
            for (YamlNode item : seq.items()) {
                Role role = taskLists.roles.load(RoleLoader.entry(item), playKeywords, scope);
                scope.play().add(role, false);
                out.addAll(role.tasks());
            }
            return out;
        }

        List<TaskItem> taskList(Mapping owner, String key, Keywords inherited, TaskListParser.Scope scope)
                throws ParseException {
            return taskLists.taskList(owner, key, inherited, scope);
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

        /**
         * {@code include_tasks}: a task the engine runs itself, per host, when it is reached: the file name may be
         * templated and looped over, and the included tasks see the loop item. {@code apply} gives the included
         * tasks keywords; the include's own {@code when} and {@code tags} decide only whether it runs.
         */
        private Task includeTasks(Mapping task, YamlNode raw, Keywords k, Keywords inherited, RoleRef role)
                throws ParseException {
            Map<String, Object> args = new LinkedHashMap<>();
            if (raw instanceof Scalar sc && sc.value() != null) {
                args.put("file", String.valueOf(sc.value()).strip());
            } else if (raw instanceof Mapping m) {
                for (String key : m.entries().keySet()) {
                    if (!Set.of("file", "_raw_params", "apply").contains(key)) {
                        throw new ParseException(m.keyPosition(key), "include_tasks has no argument '" + key
                                + "'; expected file or apply");
                    }
                }
                String file = optionalString(m, "file");
                if (file == null) file = optionalString(m, "_raw_params");
                if (file == null) throw new ParseException(m.position(), "include_tasks needs 'file'");
                args.put("file", file);
                if (m.has("apply")) {
                    YamlNode apply = m.get("apply");
                    if (!(apply instanceof Mapping am)) {
                        throw new ParseException(apply.position(), "'apply' must be a mapping of task keywords");
                    }
                    args.put("apply", KeywordReader.block(am));
                }
            } else {
                throw new ParseException(raw.position(), "include_tasks takes a file name or a mapping with 'file'");
            }
            String file = String.valueOf(args.get("file"));
            // relative to the including file: in a role, its tasks/ directory
            Path base = role != null ? role.path().resolve("tasks") : dir;
            if (!file.contains("{{") && !java.nio.file.Files.isRegularFile(base.resolve(file))) {
                throw new ParseException(raw.position(), "included task file " + base.resolve(file) + " not found");
            }
            args.put("_dir", base.toString());
            // what the included tasks inherit: the include's parents, not its own when/tags/loop
            args.put("_inherited", inherited);
            return new Task(optionalString(task, "name"), INCLUDE, args, k, task.position(), role);
        }

        /** The task's arguments with its module's {@code module_defaults} under them, checked again together. */
        @SuppressWarnings("unchecked")
        private Map<String, Object> withModuleDefaults(String module, String key, Map<String, Object> args,
                Keywords k, SourcePosition at) throws ParseException {
            Map<String, Object> defaults = new LinkedHashMap<>();
            for (String name : List.of(module, "ansible.builtin." + module, "ansible.legacy." + module, key)) {
                if (k.moduleDefaults().get(name) instanceof Map<?, ?> d) defaults.putAll((Map<String, Object>) d);
            }
            if (defaults.isEmpty()) return args;
            Map<String, Object> merged = new LinkedHashMap<>(defaults);
            merged.putAll(args); // what the task says wins
            return modules.normalizeArgs(module, merged, Map.of(), at, !expectsFailure(k));
        }

        /** A task written to expect failure: ignore_errors, failed_when, or inside a block with a rescue. */
        private static boolean expectsFailure(Keywords k) {
            return k.ignoreErrors() || !k.failedWhen().isEmpty() || k.handledByRescue();
        }

        /** {@code local_action: MODULE ARGS} (or a mapping with {@code module:}): the module, delegated to localhost. */
        private Task parseLocalAction(Mapping task, Keywords inherited, RoleRef role) throws ParseException {
            for (String key : task.entries().keySet()) {
                if (key.equals(RESCUE_UNREACHABLE)) throw YamlReads.blockOnly(task.keyPosition(key), "a task");
                if (!TASK_KEYS.contains(key) && !isWithLoop(key)) {
                    throw new ParseException(task.keyPosition(key), "a task with 'local_action' names its module "
                            + "there; '" + key + "' is neither a task keyword nor allowed beside it");
                }
            }
            YamlNode node = task.get("local_action");
            String moduleKey;
            Object raw;
            if (node instanceof Scalar sc && sc.value() != null) {
                String text = String.valueOf(sc.value()).strip();
                int space = text.indexOf(' ');
                moduleKey = space < 0 ? text : text.substring(0, space);
                raw = space < 0 ? null : text.substring(space + 1);
            } else if (node instanceof Mapping m && m.has("module")) {
                moduleKey = optionalString(m, "module");
                @SuppressWarnings("unchecked")
                Map<String, Object> args = new LinkedHashMap<>((Map<String, Object>) m.toPlain());
                args.remove("module");
                raw = args;
            } else {
                throw new ParseException(node.position(), "'local_action' takes 'MODULE ARGS' or a mapping with "
                        + "'module:' and the module's arguments");
            }
            String module = modules.canonicalName(moduleKey).orElseThrow(() -> new ParseException(node.position(),
                    "unknown module '" + moduleKey + "' in local_action; expected one of "
                            + new TreeSet<>(modules.names())));
            Keywords local = Keywords.builder().delegateTo("localhost").build();
            Keywords k = KeywordReader.task(task).inheriting(local).inheriting(inherited);
            Map<String, Object> args = modules.normalizeArgs(module, raw, varsMapping(task, "args"),
                    task.keyPosition("local_action"), !expectsFailure(k));
            return new Task(optionalString(task, "name"), module, args, k, task.position(), role);
        }

        Task parseTask(Mapping task, Keywords inherited, RoleRef role) throws ParseException {
            if (task.has("local_action")) return parseLocalAction(task, inherited, role);
            String moduleKey = null;
            for (String key : task.entries().keySet()) {
                if (TASK_KEYS.contains(key) || isWithLoop(key)) continue;
                SourcePosition kp = task.keyPosition(key);
                if (key.equals(RESCUE_UNREACHABLE)) throw YamlReads.blockOnly(kp, "a task");
                if (ANSIBLE_KEYS_NOT_YET.contains(key)) {
                    throw new ParseException(kp, "'" + key + "' is not supported by fleet yet");
                }
                if (!key.equals("meta") && !key.equals("ansible.builtin.meta") && !INCLUDE_TASKS.contains(key)
                        && InventoryActions.canonical(key) == null
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
            Keywords k = KeywordReader.task(task).inheriting(inherited);
            YamlNode raw = task.get(moduleKey);
            if (moduleKey.endsWith("meta")) {
                String action = raw instanceof Scalar sc && sc.value() != null ? String.valueOf(sc.value()) : "";
                if (!META_ACTIONS.contains(action)) {
                    throw new ParseException(raw.position(), "meta action '" + action + "' is not supported; expected "
                            + "one of " + new TreeSet<>(META_ACTIONS));
                }
                return new Task(optionalString(task, "name"), "meta", Map.of("_raw_params", action), k,
                        task.position(), role);
            }
            if (INCLUDE_TASKS.contains(moduleKey)) return includeTasks(task, raw, k, inherited, role);
            String action = InventoryActions.canonical(moduleKey);
            if (action != null) {
                Map<String, Object> args = InventoryActions.args(action, raw, task.keyPosition(moduleKey));
                // add_host runs once for the play, as Ansible bypasses the host loop for it
                Keywords once = action.equals("add_host") ? Keywords.builder().runOnce(true).build() : Keywords.NONE;
                return new Task(optionalString(task, "name"), action, args, k.inheriting(once), task.position(), role);
            }
            String module = modules.canonicalName(moduleKey).orElseThrow();
            Map<String, Object> extra = varsMapping(task, "args");
            if (raw instanceof Sequence seq) {
                throw new ParseException(seq.position(), "arguments of '" + moduleKey
                        + "' must be a string or a mapping, found a list");
            }
            // A task written to expect failure gets its argument errors at run time, as in Ansible, whose own
            // negative tests rely on it: the task fails there and its ignore_errors or rescue handles it.
            Map<String, Object> args = modules.normalizeArgs(module, raw.toPlain(), extra, task.keyPosition(moduleKey),
                    !expectsFailure(k));
            args = withModuleDefaults(module, moduleKey, args, k, task.keyPosition(moduleKey));
            return new Task(optionalString(task, "name"), module, args, k, task.position(), role);
        }

    }
}

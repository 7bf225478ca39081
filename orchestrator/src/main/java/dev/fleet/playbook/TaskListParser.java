package dev.fleet.playbook;

import static dev.fleet.playbook.YamlReads.checkKeys;
import static dev.fleet.playbook.YamlReads.mapping;
import static dev.fleet.playbook.YamlReads.optionalBool;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns task lists (a play's sections, a role's task and handler files, imported task files) into {@link TaskItem}s,
 * with the static imports resolved: {@code import_tasks} splices the file's tasks in with the import's keywords
 * pushed down, {@code import_role} splices the role's tasks in (through {@link RoleLoader}).
 */
final class TaskListParser {
    /** Keywords an {@code import_tasks} or {@code import_role} may carry; they are passed down to the tasks. */
    static final Set<String> IMPORT_KEYS = Set.of("name", "when", "tags", "become", "become_user", "become_method",
            "become_flags", "ignore_errors", "no_log", "vars", "check_mode", "diff", "environment", "run_once",
            "delegate_to", "throttle", "collections", "connection", "any_errors_fatal", "notify");
    static final Set<String> IMPORT_TASKS = Set.of("import_tasks", "ansible.builtin.import_tasks");
    static final Set<String> IMPORT_ROLE = Set.of("import_role", "ansible.builtin.import_role");
    /**
     * {@code include_role}: a task the engine runs per host (engine RoleIncludes); its keywords are the include's
     * own, as Ansible allows on a dynamic include ({@link #INCLUDE_ROLE_KEYS}).
     */
    static final Set<String> INCLUDE_ROLE = Set.of("include_role", "ansible.builtin.include_role");
    /** Ansible 2.14's keywords of a dynamic include: they apply to the include itself, not to what it brings in. */
    static final Set<String> INCLUDE_ROLE_KEYS = Set.of("name", "when", "tags", "loop", "loop_control", "vars",
            "ignore_errors", "no_log", "register", "run_once", "timeout", "collections", "listen");
    static final Set<String> INCLUDE_VARS = Set.of("include_vars", "ansible.builtin.include_vars");
    static final Set<String> INCLUDE_VARS_ARGS = Set.of("file", "dir", "name", "depth", "files_matching",
            "ignore_files", "extensions", "ignore_unknown_extensions", "hash_behaviour", "_raw_params");
    static final Set<String> IMPORT_ROLE_ARGS = Set.of("name", "tasks_from", "vars_from", "defaults_from",
            "handlers_from", "allow_duplicates", "public", "rolespec_validate");

    /** Parses a task that runs a module (the parser's own rules for modules, keywords and arguments). */
    interface ModuleTasks {
        Task parse(Mapping task, Keywords inherited, RoleRef role) throws ParseException;
    }

    private final ModuleTasks tasks;
    final RoleLoader roles;

    /** Reads vaulted task, vars and defaults files. */
    final Vault vault;

    TaskListParser(ModuleTasks tasks, List<Path> rolesPath, Vault vault) {
        this.tasks = tasks;
        this.vault = vault;
        this.roles = new RoleLoader(this, rolesPath);
    }

    /**
     * Where a task list is read: the directory relative imports resolve in, the role (and the roles that brought it
     * in, outermost first) the tasks belong to, the play collecting roles, and the task files being imported (a
     * file that imports itself, directly or not, is an error rather than an endless parse).
     */
    record Scope(Path dir, Path playbookDir, List<RoleLoader.Link> chain, RoleRef role, PlayRoles play,
            List<Path> importing) {
        Scope {
            chain = List.copyOf(chain);
            importing = List.copyOf(importing);
        }

        Scope in(Path file) {
            List<Path> stack = new ArrayList<>(importing);
            stack.add(file);
            return new Scope(file.getParent(), playbookDir, chain, role, play, stack);
        }
    }

    List<TaskItem> taskList(Mapping owner, String key, Keywords inherited, Scope scope) throws ParseException {
        YamlNode t = owner.get(key);
        if (t == null || (t instanceof Scalar sc && sc.isNull())) return new ArrayList<>();
        if (!(t instanceof Sequence seq)) {
            throw new ParseException(t.position(), "'" + key + "' must be a list of tasks, found a " + t.kind());
        }
        return items(seq, inherited, scope);
    }

    private List<TaskItem> items(Sequence seq, Keywords inherited, Scope scope) throws ParseException {
        List<TaskItem> out = new ArrayList<>();
        for (YamlNode item : seq.items()) out.addAll(parseItem(item, inherited, scope));
        return out;
    }

    /** A task file (a role's tasks/main.yml, an imported file): a list of tasks, or nothing. */
    List<TaskItem> file(Path file, Keywords inherited, Scope scope) throws ParseException {
        Path abs = file.toAbsolutePath().normalize();
        if (scope.importing().contains(abs)) {
            throw new ParseException(SourcePosition.of(abs.toString()), "task file " + abs + " imports itself"
                    + " (through " + scope.importing() + "); remove the cycle");
        }
        YamlNode root = YamlLoader.load(abs, vault);
        if (root == null || (root instanceof Scalar sc && sc.isNull())) return new ArrayList<>();
        if (!(root instanceof Sequence seq)) {
            throw new ParseException(root.position(), "a task file must be a list of tasks, found a " + root.kind());
        }
        return items(seq, inherited, scope.in(abs));
    }

    /** One entry: a task, a block, or a static import, which stands for the tasks it brings in. */
    List<TaskItem> parseItem(YamlNode node, Keywords inherited, Scope scope) throws ParseException {
        Mapping m = mapping(node, "a task (a mapping with a module, e.g. '- command: uptime')");
        for (String key : m.entries().keySet()) {
            if (IMPORT_TASKS.contains(key)) return importTasks(m, key, inherited, scope);
            if (IMPORT_ROLE.contains(key)) return importRole(m, key, inherited, scope);
            if (INCLUDE_ROLE.contains(key)) return List.of(IncludeRoleParser.task(this, m, key, inherited, scope));
        }
        if (m.has("block")) return List.of(parseBlock(m, inherited, scope));
        if (m.has("rescue") || m.has("always")) {
            throw new ParseException(m.position(), "'rescue' and 'always' belong to a 'block'; add 'block:'");
        }
        for (String key : m.entries().keySet()) {
            if (INCLUDE_VARS.contains(key)) return List.of(includeVars(m, key, inherited, scope));
        }
        return List.of(tasks.parse(m, inherited, scope.role()));
    }

    private Block parseBlock(Mapping m, Keywords inherited, Scope scope) throws ParseException {
        checkKeys(m, PlaybookParser.BLOCK_KEYS, "block");
        Keywords k = KeywordReader.block(m).inheriting(inherited);
        // the block section of a block with a rescue is written to expect failure (its rescue and always are not)
        Keywords inBlock = m.has("rescue") ? Keywords.builder().handledByRescue(true).build().inheriting(k) : k;
        List<TaskItem> block = taskList(m, "block", inBlock, scope);
        if (block.isEmpty()) throw new ParseException(m.keyPosition("block"), "'block' has no tasks");
        boolean rescueUnreachable = optionalBool(m, PlaybookParser.RESCUE_UNREACHABLE, false);
        if (rescueUnreachable && !m.has("rescue")) {
            throw new ParseException(m.keyPosition(PlaybookParser.RESCUE_UNREACHABLE), "'rescue_unreachable' sends "
                    + "an unreachable host to the block's rescue section, and this block has none; add 'rescue:'");
        }
        return new Block(optionalString(m, "name"), block, taskList(m, "rescue", k, scope),
                taskList(m, "always", k, scope), rescueUnreachable, m.position());
    }

    private void checkImportKeys(Mapping m, String action) throws ParseException {
        for (String key : m.entries().keySet()) {
            if (key.equals(action) || IMPORT_KEYS.contains(key)) continue;
            SourcePosition kp = m.keyPosition(key);
            if (key.equals(PlaybookParser.RESCUE_UNREACHABLE)) throw YamlReads.blockOnly(kp, "'" + action + "'");
            if (key.equals("loop") || key.startsWith("with_")) {
                throw new ParseException(kp, "'" + action + "' is static and cannot loop; use "
                        + action.replace("import_", "include_") + " or loop inside");
            }
            throw new ParseException(kp, "'" + key + "' cannot be used with '" + action + "'; expected one of "
                    + new TreeSet<>(IMPORT_KEYS));
        }
    }

    /** {@code import_tasks: file.yml}: the file's tasks, each under the import's keywords. */
    private List<TaskItem> importTasks(Mapping m, String key, Keywords inherited, Scope scope) throws ParseException {
        checkImportKeys(m, key);
        YamlNode arg = m.get(key);
        String name = null;
        if (arg instanceof Scalar sc && sc.value() != null) {
            name = String.valueOf(sc.value()).strip();
            if (name.startsWith("file=")) name = name.substring("file=".length()).strip();
        } else if (arg instanceof Mapping am && am.has("file")) {
            name = optionalString(am, "file");
        }
        if (name == null || name.isEmpty()) {
            throw new ParseException(arg.position(), "'" + key + "' takes the path of a task file, e.g. '" + key
                    + ": tasks/setup.yml'");
        }
        if (name.contains("{{")) {
            throw new ParseException(arg.position(), "'" + key + "' is static: its file name cannot be templated ("
                    + name + "); use a plain path");
        }
        // Ansible's order: beside the importing file, then the role's tasks/, then the playbook's directory
        List<Path> tried = new ArrayList<>();
        tried.add(scope.dir().resolve(name).normalize());
        if (scope.role() != null) tried.add(scope.role().path().resolve("tasks").resolve(name).normalize());
        tried.add(scope.playbookDir().resolve(name).normalize());
        Path found = null;
        for (Path p : new java.util.LinkedHashSet<>(tried)) {
            if (Files.isRegularFile(p)) {
                found = p;
                break;
            }
        }
        if (found == null) {
            throw new ParseException(arg.position(), "task file '" + name + "' not found; looked for "
                    + new java.util.LinkedHashSet<>(tried));
        }
        Path abs = found.toAbsolutePath().normalize();
        if (scope.importing().contains(abs)) {
            List<String> chain = new ArrayList<>();
            for (Path p : scope.importing()) chain.add(p.getFileName().toString());
            chain.add(abs.getFileName().toString());
            throw new ParseException(arg.position(), "import_tasks cycle: " + String.join(" -> ", chain)
                    + "; a task file cannot import itself, directly or through others");
        }
        Keywords k = KeywordReader.block(m).inheriting(inherited);
        return file(found, k, scope);
    }

    /** {@code import_role: name=web}: the role's tasks, loaded now, under the import's keywords. */
    private List<TaskItem> importRole(Mapping m, String key, Keywords inherited, Scope scope) throws ParseException {
        checkImportKeys(m, key);
        RoleArgs a = roleArgs(m, key);
        if (a.apply() != null) {
            throw new ParseException(m.get(key).position(), "'apply' is for include_role (its keywords go to the "
                    + "role's tasks); on import_role set the keywords on the import itself");
        }
        String name = String.valueOf(a.args().get("name"));
        if (name.contains("{{")) {
            throw new ParseException(a.at(), "'" + key + "' is static: its role name cannot be templated (" + name
                    + "); use include_role");
        }
        Object dupArg = a.args().get("allow_duplicates");
        Boolean dup = dupArg == null ? null : YamlReads.truthy(dupArg);
        RoleLoader.Spec spec = new RoleLoader.Spec(name, Map.of(), varsMapping(m, "vars"), a.from(), dup,
                true, KeywordReader.include(m), a.at());
        Role role = roles.load(spec, inherited, scope);
        scope.play().add(role, true);
        return role.tasks();
    }

    /**
     * The arguments of an {@code import_role} or {@code include_role}: its options (checked), the {@code *_from}
     * files by kind, and {@code apply} (null when absent).
     */
    record RoleArgs(Map<String, Object> args, Map<String, String> from, Keywords apply, SourcePosition at) {}

    static RoleArgs roleArgs(Mapping m, String key) throws ParseException {
        YamlNode arg = m.get(key);
        Keywords applied = null;
        if (arg instanceof Mapping am && am.has("apply")) {
            if (!(am.get("apply") instanceof Mapping applyMap)) {
                throw new ParseException(am.get("apply").position(), "'apply' must be a mapping of task keywords");
            }
            applied = KeywordReader.block(applyMap);
        }
        Map<String, Object> args = new LinkedHashMap<>();
        if (arg instanceof Mapping am) {
            @SuppressWarnings("unchecked")
            Map<String, Object> plain = (Map<String, Object>) am.toPlain();
            args.putAll(plain);
        } else if (arg instanceof Scalar sc && sc.value() != null) {
            args.putAll(KeyValues.parse(String.valueOf(sc.value()), arg.position()));
        }
        args.remove("apply");
        if (!args.containsKey("name") && args.containsKey("role")) args.put("name", args.remove("role"));
        for (String a : args.keySet()) {
            if (!IMPORT_ROLE_ARGS.contains(a)) {
                throw new ParseException(arg.position(), "unknown '" + key + "' option '" + a + "'; expected one of "
                        + new TreeSet<>(IMPORT_ROLE_ARGS));
            }
        }
        Object name = args.get("name");
        if (name == null || String.valueOf(name).isBlank()) {
            throw new ParseException(arg.position(), "'" + key + "' needs the role's name, e.g. '" + key
                    + ": {name: web}'");
        }
        Map<String, String> from = new LinkedHashMap<>();
        for (String f : List.of("tasks", "vars", "defaults", "handlers")) {
            Object v = args.get(f + "_from");
            if (v != null) from.put(f, String.valueOf(v));
        }
        return new RoleArgs(args, from, applied, arg.position());
    }

    /** A handler as Ansible 2.14 takes one: a task (an {@code include_tasks} too), not a block or an include_role. */
    static Task handler(TaskItem h) throws ParseException {
        if (!(h instanceof Task t)) throw new ParseException(h.position(), "handlers must be tasks, not blocks");
        if (t.module().equals(PlaybookParser.INCLUDE_ROLE)) {
            throw new ParseException(t.position(), "'include_role' cannot be a handler (Ansible refuses it too); "
                    + "notify the role's own handlers once it is included, or make the handler an include_tasks");
        }
        return t;
    }

    /** {@code include_vars}: run by the engine; its arguments are checked here. */
    private Task includeVars(Mapping m, String key, Keywords inherited, Scope scope) throws ParseException {
        for (String other : m.entries().keySet()) {
            if (!other.equals(key) && !PlaybookParser.TASK_KEYS.contains(other) && !other.startsWith("with_")) {
                throw new ParseException(m.keyPosition(other), "a task has exactly one module, found both '" + key
                        + "' and '" + other + "'; split them into two tasks");
            }
        }
        YamlNode arg = m.get(key);
        Map<String, Object> args = new LinkedHashMap<>(varsMapping(m, "args"));
        if (arg instanceof Mapping am) {
            @SuppressWarnings("unchecked")
            Map<String, Object> plain = (Map<String, Object>) am.toPlain();
            args.putAll(plain);
        } else if (arg instanceof Scalar sc && sc.value() != null) {
            String text = String.valueOf(sc.value()).strip();
            if (text.matches("^\\w+=.*")) args.putAll(KeyValues.parse(text, arg.position()));
            else args.put("file", text);
        }
        args.remove("_raw_params");
        for (String a : args.keySet()) {
            if (!INCLUDE_VARS_ARGS.contains(a)) {
                throw new ParseException(arg.position(), "unknown include_vars option '" + a + "'; expected one of "
                        + new TreeSet<>(INCLUDE_VARS_ARGS));
            }
        }
        if (args.containsKey("file") == args.containsKey("dir")) {
            throw new ParseException(arg.position(), "include_vars needs exactly one of 'file' and 'dir' (or a file"
                    + " name: 'include_vars: vars/web.yml')");
        }
        Keywords k = KeywordReader.task(m).inheriting(inherited);
        return new Task(optionalString(m, "name"), "include_vars", args, k, m.position(), scope.role());
    }
}

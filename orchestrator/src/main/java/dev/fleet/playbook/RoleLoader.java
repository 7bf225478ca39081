package dev.fleet.playbook;

import static dev.fleet.playbook.YamlReads.mapping;
import static dev.fleet.playbook.YamlReads.optionalString;
import static dev.fleet.playbook.YamlReads.varsMapping;

import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.SourcePosition;
import dev.fleet.yaml.YamlLoader;
import dev.fleet.yaml.YamlNode;
import dev.fleet.yaml.YamlNode.Mapping;
import dev.fleet.yaml.YamlNode.Scalar;
import dev.fleet.yaml.YamlNode.Sequence;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds and loads roles in Ansible's layout: {@code tasks/}, {@code handlers/}, {@code defaults/}, {@code vars/},
 * {@code meta/main.yml} with {@code dependencies}, each file {@code main.yml}, {@code main.yaml}, {@code main.json}
 * or {@code main} (or another name given by {@code tasks_from}, ...). Used for the play's {@code roles:},
 * {@code import_role} and dependencies; {@link #find} and {@link #load} are what a dynamic {@code include_role}
 * needs too.
 */
public final class RoleLoader {
    /** Keys of a role use that are keywords; every other key is a role parameter. */
    static final Set<String> ROLE_KEYWORDS = Set.of("role", "name", "when", "tags", "become", "become_user",
            "become_method", "become_flags", "vars", "ignore_errors", "no_log", "environment", "check_mode", "diff",
            "delegate_to", "any_errors_fatal", "run_once", "throttle", "connection", "collections", "timeout",
            "ignore_unreachable");
    /** Role keywords Ansible has that fleet does not: an error, rather than silently a parameter. */
    static final Set<String> ROLE_KEYWORDS_NOT_YET = Set.of("port", "remote_user", "debugger",
            "module_defaults");

    /** A role a task is nested in, with its own files' variables (what the roles it brings in inherit). */
    record Link(String name, Path path, Map<String, Object> defaults, Map<String, Object> vars,
            Map<String, Object> params, boolean imported) {}

    /**
     * How a role is used.
     *
     * @param vars     the use's {@code vars:} (role-level, visible to the play, below the role's {@code vars/})
     * @param from     {@code tasks}/{@code vars}/{@code defaults}/{@code handlers} to the file to read instead of main
     * @param allowDuplicates overrides {@code meta/main.yml}'s {@code allow_duplicates}; null: as the role says
     * @param imported brought in by {@code import_role} (runs every time; sets {@code ansible_parent_role_names})
     * @param keywords the use's own keywords ({@code when}, {@code tags}, {@code become} ...), before it inherits
     *                 those of the play or of the role that depends on it
     * @param dynamic  loaded by {@code include_role} when a host reaches it (see {@link RoleRef#repeats()})
     */
    record Spec(String name, Map<String, Object> params, Map<String, Object> vars, Map<String, String> from,
            Boolean allowDuplicates, boolean imported, Keywords keywords, SourcePosition position, boolean dynamic) {

        /** A use written in the playbook's files. */
        Spec(String name, Map<String, Object> params, Map<String, Object> vars, Map<String, String> from,
                Boolean allowDuplicates, boolean imported, Keywords keywords, SourcePosition position) {
            this(name, params, vars, from, allowDuplicates, imported, keywords, position, false);
        }
    }

    private final TaskListParser parser;
    private final List<Path> rolesPath;

    RoleLoader(TaskListParser parser, List<Path> rolesPath) {
        this.parser = parser;
        this.rolesPath = List.copyOf(rolesPath);
    }

    /**
     * Where a role named {@code name} may be, in Ansible's order: {@code roles/} beside the playbook, the roles
     * path, the directory holding the role that asks for it (a dependency's siblings), the playbook's directory.
     * {@code ns.coll.role} is looked up under {@code collections/ansible_collections/ns/coll/roles/} beside the
     * playbook; a name with a slash is a path.
     */
    public List<Path> candidates(String name, Path playbookDir, Path askingRole) {
        return candidates(name, playbookDir, askingRole, rolesPath);
    }

    /** As {@link #candidates(String, Path, Path)} with the roles path {@code rolesPath}. */
    public static List<Path> candidates(String name, Path playbookDir, Path askingRole, List<Path> rolesPath) {
        Set<Path> out = new LinkedHashSet<>();
        if (name.contains("/")) {
            out.add(playbookDir.resolve(name).normalize());
            return List.copyOf(out);
        }
        String[] parts = name.split("\\.");
        if (parts.length == 3) {
            out.add(playbookDir.resolve("collections/ansible_collections").resolve(parts[0]).resolve(parts[1])
                    .resolve("roles").resolve(parts[2]));
        }
        out.add(playbookDir.resolve("roles").resolve(name));
        for (Path p : rolesPath) out.add(p.toAbsolutePath().resolve(name).normalize());
        if (askingRole != null) out.add(askingRole.getParent().resolve(name));
        out.add(playbookDir.resolve(name));
        return List.copyOf(out);
    }

    /** The role's directory, or an error at {@code at} listing every place it was looked for. */
    public Path find(String name, Path playbookDir, Path askingRole, SourcePosition at) throws ParseException {
        List<Path> tried = candidates(name, playbookDir, askingRole);
        for (Path p : tried) if (Files.isDirectory(p)) return p.toAbsolutePath().normalize();
        StringBuilder msg = new StringBuilder("role '" + name + "' not found; looked in:");
        for (Path p : tried) msg.append("\n  ").append(p);
        msg.append("\nput the role in one of these, or add its parent directory to roles_path (ANSIBLE_ROLES_PATH)");
        throw new ParseException(at, msg.toString());
    }

    /** A role use as written in {@code roles:} or {@code dependencies:}: a name, or a mapping. */
    static Spec entry(YamlNode node) throws ParseException {
        if (node instanceof Scalar sc && sc.value() != null) {
            return new Spec(String.valueOf(sc.value()).strip(), Map.of(), Map.of(), Map.of(), null, false,
                    Keywords.NONE, node.position());
        }
        Mapping m = mapping(node, "a role: its name, or a mapping with 'role:' and its parameters");
        String name = m.has("role") ? optionalString(m, "role") : optionalString(m, "name");
        if (name == null || name.isBlank()) {
            throw new ParseException(m.position(), "this role entry names no role; add 'role: <name>'");
        }
        Map<String, Object> params = new LinkedHashMap<>();
        for (var e : m.entries().entrySet()) {
            String key = e.getKey();
            if (key.equals(PlaybookParser.RESCUE_UNREACHABLE)) throw YamlReads.blockOnly(m.keyPosition(key), "a role");
            if (ROLE_KEYWORDS_NOT_YET.contains(key)) {
                throw new ParseException(m.keyPosition(key), "'" + key + "' is a role keyword fleet does not support"
                        + " yet (Ansible does not pass it to the role as a parameter either)");
            }
            if (!ROLE_KEYWORDS.contains(key)) params.put(key, e.getValue().toPlain());
        }
        return new Spec(name, params, varsMapping(m, "vars"), Map.of(), null, false, KeywordReader.include(m),
                m.position());
    }

    /**
     * Loads the role for this use inside {@code scope} (the play, the roles it is nested in), its tasks under the
     * use's keywords and {@code outer}'s (the play's, or those of the role that depends on it).
     */
    Role load(Spec spec, Keywords outer, TaskListParser.Scope scope) throws ParseException {
        Keywords inherited = spec.keywords().inheriting(outer);
        Path asking = scope.chain().isEmpty() ? null : scope.chain().getLast().path();
        Path dir = find(spec.name(), scope.playbookDir(), asking, spec.position());
        for (Link l : scope.chain()) {
            if (l.path().equals(dir) && !spec.imported()) {
                throw new ParseException(spec.position(), "role '" + spec.name() + "' depends on itself (through "
                        + scope.chain().stream().map(Link::name).toList() + "); remove the cycle");
            }
        }
        if (scope.chain().size() > 50) {
            throw new ParseException(spec.position(), "roles nested more than 50 deep; is there a cycle?");
        }
        Map<String, Object> defaults = vars(dir, "defaults", spec);
        Map<String, Object> vars = new LinkedHashMap<>(spec.vars());
        vars.putAll(vars(dir, "vars", spec));
        Link self = new Link(spec.name(), dir, defaults, vars, spec.params(), spec.imported());
        List<Link> chain = new ArrayList<>(scope.chain());
        chain.add(self);
        TaskListParser.Scope inner = new TaskListParser.Scope(dir.resolve("tasks"), scope.playbookDir(), chain, null,
                scope.play(), scope.importing());

        Mapping meta = meta(dir);
        boolean allowDuplicates = spec.allowDuplicates() != null ? spec.allowDuplicates()
                : meta != null && YamlReads.optionalBool(meta, "allow_duplicates", false);
        // Ansible's identity of a role use: the role, its parameters, and the use's own when, tags and vars
        // Decided per host when the play runs: Ansible counts a use as run on a host once one of its tasks ran there
        // (a use whose tasks were all skipped by 'when' does not count).
        String identity = dir + "|" + spec.params() + "|" + spec.vars() + "|" + spec.from() + "|"
                + spec.keywords().when() + "|" + spec.keywords().tags();
        // include_role's uses of a role are one use apart from the play's (Ansible caches them apart): each counts
        // as run, and one with allow_duplicates: false is skipped where an equal one ran
        String once = spec.dynamic() ? "include_role|" + identity
                : spec.imported() || allowDuplicates ? null : identity;
        boolean repeats = spec.dynamic() && allowDuplicates;

        List<TaskItem> tasks = new ArrayList<>();
        List<Task> handlers = new ArrayList<>();
        Map<String, Object> exportDefaults = new LinkedHashMap<>();
        Map<String, Object> exportVars = new LinkedHashMap<>();
        Set<String> depNames = new LinkedHashSet<>();
        for (YamlNode d : dependencies(meta)) {
            Role dep = load(entry(d), inherited, inner);
            tasks.addAll(dep.tasks());
            handlers.addAll(dep.handlers());
            exportDefaults.putAll(dep.exportDefaults());
            exportVars.putAll(dep.exportVars());
            depNames.add(dep.ref().shortName());
            depNames.addAll(dep.dependencies());
        }
        RoleRef ref = ref(spec, dir, chain, exportDefaults, exportVars, once, repeats);
        exportDefaults.putAll(defaults);
        exportVars.putAll(vars);
        inner = new TaskListParser.Scope(inner.dir(), inner.playbookDir(), chain, ref, inner.play(), inner.importing());
        Task validation = RoleArgumentSpecs.validationTask(dir, meta, spec.from().get("tasks"), inherited, ref,
                spec.params());
        if (validation != null) tasks.add(validation);
        Path file = roleFile(dir, "tasks", spec.from().get("tasks"), spec.position());
        if (file != null) tasks.addAll(parser.file(file, inherited, inner));
        Path handlerFile = roleFile(dir, "handlers", spec.from().get("handlers"), spec.position());
        if (handlerFile != null) {
            for (TaskItem h : parser.file(handlerFile, inherited, inner)) handlers.add(TaskListParser.handler(h));
        }
        return new Role(ref, tasks, handlers, exportDefaults, exportVars, List.copyOf(depNames));
    }

    /** The role's view for its tasks: Ansible's order of dependencies, parents and the role itself. */
    private static RoleRef ref(Spec spec, Path dir, List<Link> chain, Map<String, Object> depDefaults,
            Map<String, Object> depVars, String once, boolean repeats) {
        Map<String, Object> defaults = new LinkedHashMap<>(depDefaults);
        Map<String, Object> vars = new LinkedHashMap<>();
        Map<String, Object> params = new LinkedHashMap<>();
        List<Path> search = new ArrayList<>();
        List<String> parents = new ArrayList<>();
        for (int i = chain.size() - 1; i >= 0; i--) search.add(chain.get(i).path());
        for (int i = chain.size() - 2; i >= 0; i--) parents.add(chain.get(i).name());
        for (Link l : chain.subList(0, chain.size() - 1)) {
            defaults.putAll(l.defaults());
            vars.putAll(l.vars());
            params.putAll(l.params());
        }
        Link self = chain.getLast();
        defaults.putAll(self.defaults());
        vars.putAll(depVars);
        vars.putAll(self.vars());
        params.putAll(self.params());
        return new RoleRef(spec.name(), dir, defaults, vars, params, search,
                spec.imported() ? parents : List.of(), once, repeats);
    }

    private Mapping meta(Path dir) throws ParseException {
        Path file = mainFile(dir.resolve("meta"), "main");
        if (file == null) return null;
        YamlNode n = YamlLoader.load(file, parser.vault);
        if (n == null || (n instanceof Scalar sc && sc.isNull())) return null;
        return mapping(n, "role metadata (a mapping, e.g. with 'dependencies:')");
    }

    private static List<YamlNode> dependencies(Mapping meta) throws ParseException {
        if (meta == null) return List.of();
        YamlNode d = meta.get("dependencies");
        if (d == null || (d instanceof Scalar sc && sc.isNull())) return List.of();
        if (!(d instanceof Sequence seq)) {
            throw new ParseException(d.position(), "'dependencies' must be a list of roles, found a " + d.kind());
        }
        return seq.items();
    }

    /** {@code defaults/} or {@code vars/}: the named file (or directory of files), or main; none is empty. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> vars(Path dir, String kind, Spec spec) throws ParseException {
        String from = spec.from().get(kind);
        Path base = dir.resolve(kind);
        List<Path> files = new ArrayList<>();
        Path dirForm = base.resolve(from == null ? "main" : from);
        if (Files.isDirectory(dirForm)) {
            try (Stream<Path> s = Files.walk(dirForm)) {
                s.filter(Files::isRegularFile).sorted().forEach(files::add);
            } catch (IOException e) {
                throw new ParseException(spec.position(), "cannot read " + dirForm + ": " + e.getMessage());
            }
        } else {
            Path f = roleFile(dir, kind, from, spec.position());
            if (f != null) files.add(f);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Path f : files) {
            YamlNode n = YamlLoader.load(f, parser.vault);
            if (n == null || (n instanceof Scalar sc && sc.isNull())) continue;
            out.putAll((Map<String, Object>) mapping(n, "variables (a mapping of names to values) in " + kind
                    + "/").toPlain());
        }
        return out;
    }

    /**
     * The role's {@code kind/main} file (or {@code kind/from}), trying Ansible's extensions; null when the role has
     * none, an error when {@code from} names a file that is not there.
     */
    static Path roleFile(Path dir, String kind, String from, SourcePosition at) throws ParseException {
        Path found = mainFile(dir.resolve(kind), from == null ? "main" : from);
        if (found == null && from != null) {
            throw new ParseException(at, "role " + dir.getFileName() + " has no " + kind + " file '" + from
                    + "' (looked for " + from + ", " + from + ".yml, " + from + ".yaml, " + from + ".json in "
                    + dir.resolve(kind) + ")");
        }
        return found;
    }

    private static Path mainFile(Path dir, String name) {
        for (String ext : List.of("", ".yml", ".yaml", ".json")) {
            Path p = dir.resolve(name + ext);
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }
}

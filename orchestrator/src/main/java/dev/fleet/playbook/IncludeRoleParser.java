package dev.fleet.playbook;

import static dev.fleet.playbook.YamlReads.optionalString;

import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.SourcePosition;
import dev.fleet.yaml.YamlNode.Mapping;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code include_role} as the parser reads it: a task the engine runs per host when it is reached (Ansible's
 * dynamic include), whose role name and {@code *_from} files may be templated and which may loop. Its own
 * keywords ({@code when}, {@code tags}, {@code loop} ...) decide whether and how often it runs; the role's tasks
 * inherit only the include's parents, its {@code apply} and its {@code vars}. A literal role name is loaded here
 * too, so that a role that is missing or broken stops the run before any host is touched, and so that its
 * handlers' names are known to {@code notify} checks.
 */
final class IncludeRoleParser {
    private IncludeRoleParser() {}

    /**
     * The engine's task for an {@code include_role}. Its arguments: {@code name}, {@code from} (kind to file, as
     * written), {@code public}, {@code allow_duplicates}, {@code apply} (Keywords, when given), and what the engine
     * needs to load the role where the parser would: {@code _inherited} (the include's parents' keywords),
     * {@code _playbookDir}, and {@code _roleDirs} (the directories a literal name's role reads, for a cluster to
     * ship).
     */
    static Task task(TaskListParser parser, Mapping m, String key, Keywords inherited, TaskListParser.Scope scope)
            throws ParseException {
        for (String k : m.entries().keySet()) {
            if (k.equals(key) || TaskListParser.INCLUDE_ROLE_KEYS.contains(k) || KeywordReader.isWithLoop(k)) continue;
            SourcePosition kp = m.keyPosition(k);
            if (k.equals(PlaybookParser.RESCUE_UNREACHABLE)) throw YamlReads.blockOnly(kp, "'" + key + "'");
            if (PlaybookParser.TASK_KEYS.contains(k) || TaskListParser.IMPORT_KEYS.contains(k)) {
                throw new ParseException(kp, "'" + k + "' is not a keyword of '" + key + "': the keywords of a dynamic"
                        + " include apply to the include itself (as in Ansible); to give the role's tasks '" + k
                        + "', use 'apply: {" + k + ": ...}' in the include's arguments");
            }
            throw new ParseException(kp, "'" + k + "' cannot be used with '" + key + "'; expected one of "
                    + new TreeSet<>(TaskListParser.INCLUDE_ROLE_KEYS));
        }
        TaskListParser.RoleArgs a = TaskListParser.roleArgs(m, key);
        String name = String.valueOf(a.args().get("name")).strip();
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("name", name);
        args.put("from", a.from());
        args.put("public", bool(a, "public", false));
        args.put("allow_duplicates", bool(a, "allow_duplicates", true));
        if (a.apply() != null) args.put("apply", a.apply());
        args.put("_inherited", inherited);
        args.put("_playbookDir", scope.playbookDir().toString());
        args.put("_roleDirs", validate(parser, name, a, scope));
        Keywords k = KeywordReader.task(m).inheriting(inherited);
        // unnamed, it shows as Ansible shows it: "include_role : web"
        String shown = m.has("name") ? optionalString(m, "name") : key + " : " + name;
        return new Task(shown, PlaybookParser.INCLUDE_ROLE, args, k, m.position(), scope.role());
    }

    private static boolean bool(TaskListParser.RoleArgs a, String option, boolean dflt) throws ParseException {
        Object v = a.args().get(option);
        if (v == null) return dflt;
        if (String.valueOf(v).contains("{{")) {
            throw new ParseException(a.at(), "include_role's '" + option + "' cannot be templated in fleet; write "
                    + "true or false");
        }
        return YamlReads.truthy(v);
    }

    /**
     * Loads a literally named role once, for its errors and its handlers' names; returns the directories it reads
     * (the role, its dependencies, and the roles it includes literally in turn). A templated name is only known
     * when a host runs the include: nothing is checked, and the play's notify names cannot all be checked.
     */
    private static List<String> validate(TaskListParser parser, String name, TaskListParser.RoleArgs a,
            TaskListParser.Scope scope) throws ParseException {
        boolean templatedHandlers = a.from().containsKey("handlers") && a.from().get("handlers").contains("{{");
        if (name.contains("{{") || templatedHandlers) scope.play().topicsUnknown = true;
        if (name.contains("{{")) return List.of();
        Path asking = !scope.chain().isEmpty() ? scope.chain().getLast().path()
                : scope.role() != null ? scope.role().path() : null;
        Path dir = parser.roles.find(name, scope.playbookDir(), asking, a.at());
        boolean loading = scope.role() != null && scope.role().path().equals(dir);
        for (RoleLoader.Link l : scope.chain()) loading |= l.path().equals(dir);
        if (loading) return List.of(dir.toString()); // a role including itself: its load is under way
        Map<String, String> from = new LinkedHashMap<>();
        a.from().forEach((kind, file) -> {
            if (!file.contains("{{")) from.put(kind, file);
        });
        RoleLoader.Spec spec = new RoleLoader.Spec(name, Map.of(), Map.of(), from, true, true, Keywords.NONE,
                a.at());
        // what the role imports in turn is the role's when it is included, not the play's now
        PlayRoles inner = new PlayRoles();
        Role role = parser.roles.load(spec, Keywords.NONE, new TaskListParser.Scope(scope.dir(), scope.playbookDir(),
                scope.chain(), scope.role(), inner, scope.importing()));
        if (!templatedHandlers) {
            for (Task h : role.handlers()) scope.play().includedTopics.addAll(h.handlerTopics());
        }
        for (Task h : inner.importedHandlers) scope.play().includedTopics.addAll(h.handlerTopics());
        scope.play().includedTopics.addAll(inner.includedTopics);
        scope.play().topicsUnknown |= inner.topicsUnknown;
        Set<String> dirs = new LinkedHashSet<>();
        dirs.add(role.dir().toString());
        List<Task> all = new ArrayList<>(Play.tasksOf(role.tasks()));
        all.addAll(role.handlers());
        for (Task t : all) {
            if (t.role() != null) t.role().searchPath().forEach(p -> dirs.add(p.toString()));
            if (t.args().get("_roleDirs") instanceof List<?> nested) nested.forEach(d -> dirs.add(String.valueOf(d)));
        }
        return List.copyOf(dirs);
    }
}

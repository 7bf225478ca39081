package dev.fleet.engine;

import dev.fleet.playbook.PlaybookParser;
import dev.fleet.playbook.Role;
import dev.fleet.playbook.Task;
import dev.fleet.result.TaskOutcome;
import dev.fleet.template.TemplateException;
import dev.fleet.template.Templater;
import dev.fleet.yaml.ParseException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The host side of {@code include_role}: which role a host includes (per loop item whose condition holds, its name
 * and {@code *_from} files rendered with the host's variables), loaded when the host reaches the include, for its
 * strategy to walk as it walks an included task file. With {@code public: true} the role's defaults and vars are
 * the host's from then on, for the rest of the play ({@link HostState#publicRoles}).
 */
final class RoleIncludes {
    private final Templater templater;
    private final PlaybookParser parser;

    RoleIncludes(Templater templater, PlaybookParser parser) {
        this.templater = templater;
        this.parser = parser;
    }

    TaskOutcome include(HostState host, Task task, Map<String, Object> vars) throws TemplateException, ParseException {
        List<Included> out = new ArrayList<>();
        for (TaskIncludes.Pass pass : TaskIncludes.passes(templater, task, vars)) {
            String name = String.valueOf(templater.render(String.valueOf(task.args().get("name")), pass.vars()))
                    .strip();
            Map<String, String> from = new LinkedHashMap<>();
            for (var e : from(task).entrySet()) {
                from.put(e.getKey(), String.valueOf(templater.render(e.getValue(), pass.vars())).strip());
            }
            if (name.isEmpty()) {
                return TaskOutcome.failed("include_role at " + task.position() + ": the role's name is empty once "
                        + "rendered (" + task.args().get("name") + ")");
            }
            Loaded loaded = load(task, new Included.RoleSource(name, from, task.position().toString()),
                    pass.includeVars());
            out.add(loaded.included());
            if (Boolean.TRUE.equals(task.args().get("public"))) {
                host.publicRoles(loaded.role().exportDefaults(), loaded.role().exportVars());
            }
        }
        host.pendingIncludes = out;
        if (out.isEmpty()) return WhenConditions.skipped(null);
        List<String> roles = out.stream().map(inc -> inc.role().name()).toList();
        return TaskOutcome.ok("included role: " + String.join(", ", roles)).withData(Map.of("include", roles));
    }

    /** A role as one include loaded it: for the host to walk, and what it shares when public. */
    record Loaded(Included included, Role role) {}

    /**
     * Loads the role {@code source} names for {@code include} (its tasks inherit the include's parents, its
     * {@code apply}, and {@code includeVars}). A cluster worker loads an include the coordinator ran the same way,
     * so both hold the same tasks and handlers. Blocking (reads the role's files).
     */
    Loaded load(Task include, Included.RoleSource source, Map<String, Object> includeVars) throws ParseException {
        Path playbookDir = Path.of(String.valueOf(include.args().get("_playbookDir")));
        Role role = parser.includeRole(source.name(), include.keywords().vars(), source.from(),
                !Boolean.FALSE.equals(include.args().get("allow_duplicates")),
                TaskIncludes.inherited(include, includeVars), playbookDir, include.role(), include.position());
        return new Loaded(new Included(role.dir(), source, includeVars, role.tasks(), role.handlers()), role);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> from(Task include) {
        return include.args().get("from") instanceof Map<?, ?> m ? (Map<String, String>) m : Map.of();
    }
}

package dev.fleet.engine;

import dev.fleet.playbook.Keywords;
import dev.fleet.playbook.PlaybookParser;
import dev.fleet.playbook.Task;
import dev.fleet.playbook.TaskItem;
import dev.fleet.result.TaskOutcome;
import dev.fleet.template.TemplateException;
import dev.fleet.template.Templater;
import dev.fleet.yaml.ParseException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The host side of {@code include_tasks}: which files a host includes, parsed, for its strategy to walk. */
final class TaskIncludes {
    private final Templater templater;
    private final PlaybookParser parser;

    TaskIncludes(Templater templater, PlaybookParser parser) {
        this.templater = templater;
        this.parser = parser;
    }

    /**
     * {@code include_tasks} on one host: per loop item whose condition holds, the file (templated) is parsed into
     * tasks that inherit the include's parents, its {@code apply} and its vars and item; they wait in
     * {@link HostState#pendingIncludes} for the strategy to walk them. As in Ansible, the include's own
     * {@code when}, {@code tags} and loop decide only whether it runs.
     */
    TaskOutcome include(HostState host, Task task, Map<String, Object> vars)
            throws TemplateException, ParseException {
        List<Included> out = new ArrayList<>();
        for (Pass pass : passes(templater, task, vars)) {
            String file = String.valueOf(templater.render(String.valueOf(task.args().get("file")), pass.vars()));
            Path path = Path.of(String.valueOf(task.args().get("_dir"))).resolve(file).normalize();
            if (!java.nio.file.Files.isRegularFile(path)) {
                return TaskOutcome.failed("include_tasks: could not find or access '" + file + "' (looked for " + path
                        + ")");
            }
            out.add(new Included(path, pass.includeVars(), parse(task, path, pass.includeVars())));
        }
        host.pendingIncludes = out;
        if (out.isEmpty()) {
            return WhenConditions.skipped(null);
        }
        List<String> files = out.stream().map(inc -> inc.file().toString()).toList();
        return TaskOutcome.ok("included: " + String.join(", ", files)).withData(Map.of("include", files));
    }

    /**
     * One run of an include: for a loop item (or the include without a loop) whose condition holds, the variables
     * to render its arguments with ({@code vars}) and those its tasks inherit ({@code includeVars}: its {@code vars}
     * and loop item).
     */
    record Pass(Map<String, Object> vars, Map<String, Object> includeVars) {}

    /** The include's runs on one host: one per loop item whose {@code when} holds (or one, or none, unlooped). */
    static List<Pass> passes(Templater templater, Task task, Map<String, Object> vars) throws TemplateException {
        Keywords k = task.keywords();
        List<?> items = k.loop() == null ? null : LoopItems.of(k, vars, templater);
        List<Pass> out = new ArrayList<>();
        int n = items == null ? 1 : items.size();
        for (int i = 0; i < n; i++) {
            Map<String, Object> itemVars = new LinkedHashMap<>(vars);
            Map<String, Object> includeVars = new LinkedHashMap<>(k.vars());
            if (items != null) {
                itemVars.put(k.loopVar(), items.get(i));
                includeVars.put(k.loopVar(), items.get(i));
                if (k.loopControl().indexVar() != null) includeVars.put(k.loopControl().indexVar(), i);
            }
            if (WhenConditions.firstFalse(templater, k.when(), itemVars) != null) continue;
            out.add(new Pass(itemVars, java.util.Collections.unmodifiableMap(includeVars)));
        }
        return out;
    }

    /** What the included tasks inherit: the include's parents' keywords, its {@code apply}, its vars and item. */
    static Keywords inherited(Task include, Map<String, Object> includeVars) {
        Keywords parent = (Keywords) include.args().get("_inherited");
        if (include.args().get("apply") instanceof Keywords apply) parent = apply.inheriting(parent);
        return Keywords.builder().vars(includeVars).build().inheriting(parent);
    }

    /**
     * The tasks {@code include} brings in from {@code file} (already found) for one loop item: they inherit the
     * include's parents, its {@code apply}, and {@code includeVars} (its vars and loop item). A cluster worker
     * parses an include the coordinator ran the same way, so both hold the same tasks.
     */
    List<TaskItem> parse(Task include, Path file, Map<String, Object> includeVars) throws ParseException {
        return parser.parseTaskFile(file, inherited(include, includeVars), include.role());
    }
}

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
     * {@link HostState#pendingIncludes} for the strategy to walk them.
     */
    TaskOutcome include(HostState host, Task task, Map<String, Object> vars)
            throws TemplateException, ParseException {
        Keywords k = task.keywords();
        List<?> items = k.loop() == null ? null : LoopItems.of(k, vars, templater);
        List<Included> out = new ArrayList<>();
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
            String file = String.valueOf(templater.render(String.valueOf(task.args().get("file")), itemVars));
            Path path = Path.of(String.valueOf(task.args().get("_dir"))).resolve(file).normalize();
            if (!java.nio.file.Files.isRegularFile(path)) {
                return TaskOutcome.failed("include_tasks: could not find or access '" + file + "' (looked for " + path
                        + ")");
            }
            out.add(new Included(path, java.util.Collections.unmodifiableMap(includeVars),
                    parse(task, path, includeVars)));
        }
        host.pendingIncludes = out;
        if (out.isEmpty()) {
            return WhenConditions.skipped(null);
        }
        List<String> files = out.stream().map(inc -> inc.file().toString()).toList();
        return TaskOutcome.ok("included: " + String.join(", ", files)).withData(Map.of("include", files));
    }

    /**
     * The tasks {@code include} brings in from {@code file} (already found) for one loop item: they inherit the
     * include's parents, its {@code apply}, and {@code includeVars} (its vars and loop item). A cluster worker
     * parses an include the coordinator ran the same way, so both hold the same tasks.
     */
    List<TaskItem> parse(Task include, Path file, Map<String, Object> includeVars) throws ParseException {
        Keywords parent = (Keywords) include.args().get("_inherited");
        if (include.args().get("apply") instanceof Keywords apply) parent = apply.inheriting(parent);
        Keywords inherit = Keywords.builder().vars(includeVars).build().inheriting(parent);
        return parser.parseTaskFile(file, inherit, include.role());
    }
}

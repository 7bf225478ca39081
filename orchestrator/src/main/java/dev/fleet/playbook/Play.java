package dev.fleet.playbook;

import dev.fleet.yaml.SourcePosition;
import java.util.List;
import java.util.Map;

/**
 * A play: which hosts, with which variables, run which tasks, and which handlers they may notify.
 *
 * @param vars     play {@code vars} with {@code vars_files} loaded on top
 * @param strategy {@link Strategy#LINEAR} (every host finishes task N before any starts N+1) or
 *                 {@link Strategy#FREE} (each host runs through its tasks at its own pace)
 */
public record Play(String name, String hosts, Map<String, Object> vars, List<TaskItem> tasks, List<Task> handlers,
        Strategy strategy, boolean gatherFacts, String remoteUser, SourcePosition position) {

    public enum Strategy { LINEAR, FREE }

    public Play {
        vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
        tasks = List.copyOf(tasks);
        handlers = List.copyOf(handlers);
    }

    public String displayName() {
        return name == null || name.isBlank() ? hosts : name;
    }

    /** Every task in the play, blocks opened, in order (for listing and counting). */
    public List<Task> allTasks() {
        List<Task> out = new java.util.ArrayList<>();
        collect(tasks, out);
        return out;
    }

    private static void collect(List<TaskItem> items, List<Task> out) {
        for (TaskItem i : items) {
            switch (i) {
                case Task t -> out.add(t);
                case Block b -> {
                    collect(b.block(), out);
                    collect(b.rescue(), out);
                    collect(b.always(), out);
                }
            }
        }
    }
}

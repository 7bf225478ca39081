package dev.fleet.engine;

import dev.fleet.playbook.Task;
import dev.fleet.playbook.TaskItem;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What one host's include brought in: a task file ({@code include_tasks}) or a role ({@code include_role}), the
 * variables its tasks see (the include's {@code vars} and loop item), and its parsed tasks. Hosts that included
 * the same thing with the same variables run it together under the linear strategy, as Ansible groups them.
 *
 * @param file     the included file, or the included role's directory
 * @param role     for a role: how the include named it (what a cluster worker loads again); null for a file
 * @param handlers the included role's handlers, notifiable from then on; empty for a file
 */
record Included(Path file, RoleSource role, Map<String, Object> vars, List<TaskItem> tasks, List<Task> handlers) {

    /** A task file's tasks. */
    Included(Path file, Map<String, Object> vars, List<TaskItem> tasks) {
        this(file, null, vars, tasks, List.of());
    }

    /**
     * The role an {@code include_role} named, rendered: its name and its {@code *_from} files by kind. {@code at}
     * is the include's position: two includes of one role are two uses of it (each runs, or is skipped under
     * {@code allow_duplicates: false}, on its own).
     */
    record RoleSource(String name, Map<String, String> from, String at) {
        RoleSource {
            from = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(from));
        }
    }

    /** What makes two hosts' includes the same: the file (or role use) and the variables, not the parse. */
    record Key(Path file, RoleSource role, Map<String, Object> vars) {}

    Key key() {
        return new Key(file, role, vars);
    }

    /** Its tasks, blocks opened, then its handlers: every task a cluster worker must be able to find by index. */
    List<Task> allTasks() {
        List<Task> out = new java.util.ArrayList<>(dev.fleet.playbook.Play.tasksOf(tasks));
        out.addAll(handlers);
        return out;
    }
}

package dev.fleet.engine;

import dev.fleet.playbook.TaskItem;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One file a host's {@code include_tasks} brought in: the file, the variables its tasks see (the include's
 * {@code vars} and loop item), and its parsed tasks. Hosts that included the same file with the same variables
 * run it together under the linear strategy, as Ansible groups them.
 */
record Included(Path file, Map<String, Object> vars, List<TaskItem> tasks) {

    /** What makes two hosts' includes the same: the file and the variables, not the parse. */
    record Key(Path file, Map<String, Object> vars) {}

    Key key() {
        return new Key(file, vars);
    }
}
